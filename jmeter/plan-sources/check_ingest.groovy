long accepted = counter('ld.accepted')
long acceptedMessages = counter('ld.acceptedMessages')
lines << ('the plan got 202 for ' + accepted + ' packets holding ' + acceptedMessages + ' messages')
expect(accepted > 0, 'the distributor accepted packets during the plan')
if (checkStats) {
    def before = props.get('ld.before')
    def after = waitDrained(vars.get('drain_timeout') as long)
    expect(drained(after), 'queue drained within ' + vars.get('drain_timeout') + ' s (depth ' + after.queue.depth
            + ', accepted ' + after.totals.accepted + ', delivered ' + after.totals.delivered + ')')
    long acceptedDelta = delta(after, before, 'accepted')
    expect(acceptedDelta == accepted, '/stats accepted +' + acceptedDelta + ' equals the 202 answers (' + accepted + ')')
    expect(delta(after, before, 'messages') == acceptedMessages,
            '/stats messages +' + delta(after, before, 'messages') + ' equals the messages sent in them (' + acceptedMessages + ')')
    expect(delta(after, before, 'delivered') == acceptedDelta,
            'every accepted packet delivered: delivered +' + delta(after, before, 'delivered'))
    expect(delta(after, before, 'delivered_messages') == acceptedMessages,
            'every accepted message delivered: delivered_messages +' + delta(after, before, 'delivered_messages'))
    expect(delta(after, before, 'dead_lettered') == 0, 'nothing dead-lettered: +' + delta(after, before, 'dead_lettered'))
    // contract section 5: an analyzer eligible throughout stays within a few packets (of the largest size) of its share
    boolean allEligible = (before.analyzers + after.analyzers).every { it.eligible }
    if (allEligible) {
        long total = after.analyzers.sum { a -> a.messages - (analyzerIn(before, a.id)?.messages ?: 0) }
        double weights = after.analyzers.sum { it.weight }
        long tolerance = after.analyzers.size() * (props.get('ld.mix').max as long)
        after.analyzers.each { a ->
            long got = a.messages - (analyzerIn(before, a.id)?.messages ?: 0)
            double target = total * a.weight / weights
            expect(Math.abs(got - target) <= tolerance, String.format('%s received %d of %d messages; weight share %.0f +/- %d',
                    a.id, got, total, target, tolerance))
        }
    } else {
        lines << 'weighted shares not checked: an analyzer was not eligible at the start or the end'
    }
}
finish()
