prepareLoad()
lines << ('health: ' + waitHealthy(vars.get('startup_timeout') as long))
def before = waitDrained(vars.get('drain_timeout') as long)
expect(!checkStats || drained(before), 'distributor idle before the plan (queue depth ' + before.queue.depth
        + ', accepted ' + before.totals.accepted + ', delivered ' + before.totals.delivered + ')')
lines << ('analyzers: ' + before.analyzers.collect { it.id + ' weight ' + it.weight + (it.eligible ? '' : ' NOT ELIGIBLE') }.join(', '))
props.put('ld.before', before)
finish()
