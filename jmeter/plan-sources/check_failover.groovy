String id = vars.get('analyzer_id')
String origin = vars.get('analyzer_control_url')
String mode = vars.get('failure_mode')
long accepted = counter('ld.accepted')
lines << ('the plan got 202 for ' + accepted + ' packets, 503 + Retry-After for ' + counter('ld.rejected'))
expect(accepted > 0, 'the distributor accepted packets during the plan')
def before = props.get('ld.before')
def during = props.get('fo.during')
def after = waitDrained(vars.get('drain_timeout') as long)
expect(drained(after), 'queue drained within ' + vars.get('drain_timeout') + ' s (depth ' + after.queue.depth
        + ', accepted ' + after.totals.accepted + ', delivered ' + after.totals.delivered + ')')
expect(delta(after, before, 'dead_lettered') == 0, 'nothing dead-lettered: +' + delta(after, before, 'dead_lettered'))
expect(during != null, 'the plan switched ' + id + ' to ' + mode + ' and back (the chaos thread finished)')
if (during != null) {
    if (mode == 'unhealthy') {
        def a = analyzerIn(during, id)
        expect(!a.eligible, 'the distributor took ' + id + ' out of rotation while it was unhealthy')
    } else {
        long moved = delta(during, before, 'failed_over') + delta(during, before, 'retried')
        expect(moved > 0, 'the distributor failed over from ' + id + ' while it was failing: failed_over +'
                + delta(during, before, 'failed_over') + ', retried +' + delta(during, before, 'retried'))
    }
    long distributorBefore = props.get('fo.distributorPackets')
    long ownBefore = props.get('fo.ownPackets')
    def a = analyzerIn(after, id)
    def own = getJson(origin + '/stats')
    expect(a.packets > distributorBefore, id + ' received traffic again after recovery: the distributor counts '
            + distributorBefore + ' -> ' + a.packets + ' packets')
    expect(own.packets > ownBefore, id + ' itself counts ' + ownBefore + ' -> ' + own.packets + ' packets')
    expect(a.eligible, id + ' is eligible again (breaker ' + a.breaker + ', healthy ' + a.healthy + ')')
}
if (checkStats) {
    long acceptedDelta = delta(after, before, 'accepted')
    expect(acceptedDelta == accepted, '/stats accepted +' + acceptedDelta + ' equals the 202 answers (' + accepted + ')')
    expect(delta(after, before, 'delivered') == acceptedDelta,
            'every accepted packet delivered: delivered +' + delta(after, before, 'delivered'))
}
finish()
