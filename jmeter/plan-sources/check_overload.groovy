long accepted = counter('ld.accepted')
long rejected = counter('ld.rejected')
lines << ('the plan got 202 for ' + accepted + ' packets, 503 + Retry-After for ' + rejected)
expect(accepted > 0, 'the distributor accepted packets during the plan')
def before = props.get('ld.before')
def after = waitDrained(vars.get('drain_timeout') as long)
expect(drained(after), 'queue drained within ' + vars.get('drain_timeout') + ' s (depth ' + after.queue.depth
        + ', accepted ' + after.totals.accepted + ', delivered ' + after.totals.delivered + ')')
long queueFull = (after.totals.rejected_by_reason?.queue_full ?: 0) - (before.totals.rejected_by_reason?.queue_full ?: 0)
if (vars.get('require_overload').toBoolean()) {
    expect(rejected > 0 && queueFull > 0, 'the plan drove the distributor past capacity: ' + rejected
            + ' answers 503, /stats queue_full +' + queueFull)
} else {
    lines << ('/stats queue_full +' + queueFull)
}
expect(delta(after, before, 'dead_lettered') == 0, 'nothing dead-lettered: +' + delta(after, before, 'dead_lettered'))
if (checkStats) {
    long acceptedDelta = delta(after, before, 'accepted')
    expect(acceptedDelta == accepted, '/stats accepted +' + acceptedDelta + ' equals the 202 answers (' + accepted + ')')
    expect(delta(after, before, 'rejected') == rejected, '/stats rejected +' + delta(after, before, 'rejected')
            + ' equals the 503 answers (' + rejected + ')')
    expect(delta(after, before, 'delivered') == acceptedDelta,
            'every accepted packet delivered: delivered +' + delta(after, before, 'delivered'))
}
finish()
