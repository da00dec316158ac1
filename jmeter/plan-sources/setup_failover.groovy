prepareLoad()
String id = vars.get('analyzer_id')
String origin = vars.get('analyzer_control_url')
String mode = vars.get('failure_mode')
double duration = vars.get('duration') as double
double failAfter = vars.get('fail_after') as double
double failFor = vars.get('fail_for') as double
expect(mode in ['fail', 'hang', 'unhealthy'], 'failure_mode is fail, hang or unhealthy: ' + mode)
expect(failAfter + failFor + 8 <= duration, 'fail_after + fail_for + 8 s <= duration, so the analyzer gets load after recovery: '
        + failAfter + ' + ' + failFor + ' + 8 <= ' + duration)
lines << ('health: ' + waitHealthy(vars.get('startup_timeout') as long))
def own = getJson(origin + '/stats')
expect(own.id == id, 'analyzer_control_url ' + origin + ' is ' + id + ' (its /stats says ' + own.id + ')')
if (own.mode != 'normal') {
    lines << ('analyzer was ' + own.mode + ', control: ' + control(origin, 'mode=normal'))
}
def before = waitDrained(vars.get('drain_timeout') as long)
expect(!checkStats || drained(before), 'distributor idle before the plan (queue depth ' + before.queue.depth + ')')
def a = analyzerIn(before, id)
expect(a != null, 'the distributor knows analyzer ' + id + ' (it has ' + before.analyzers*.id + ')')
expect(a == null || a.eligible, id + ' takes traffic before the plan (breaker ' + a?.breaker + ', healthy ' + a?.healthy + ')')
props.put('ld.before', before)
finish()

