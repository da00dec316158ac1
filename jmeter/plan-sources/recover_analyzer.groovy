String id = vars.get('analyzer_id')
String origin = vars.get('analyzer_control_url')
// counts before recovery: the analyzer accepts nothing while failing, so these are the baseline
def during = stats()
def a = analyzerIn(during, id)
def own = getJson(origin + '/stats')
lines << ('before recovery: distributor counts ' + a.packets + ' packets for ' + id + ' (breaker ' + a.breaker
        + ', healthy ' + a.healthy + ', eligible ' + a.eligible + '), the analyzer counts ' + own.packets
        + '; failed_over ' + during.totals.failed_over + ', retried ' + during.totals.retried)
props.put('fo.during', during)
props.put('fo.distributorPackets', a.packets as long)
props.put('fo.ownPackets', own.packets as long)
lines << ('control: ' + control(origin, 'mode=normal'))
finish()
