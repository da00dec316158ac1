prepareLoad()
lines << ('health: ' + waitHealthy(vars.get('startup_timeout') as long))
def before = waitDrained(vars.get('drain_timeout') as long)
expect(!checkStats || drained(before), 'distributor idle before the plan (queue depth ' + before.queue.depth + ')')
lines << ('queue capacity ' + before.queue.capacity)
props.put('ld.before', before)
def origins = vars.get('analyzer_control_urls').split(',')*.trim().findAll { it }
origins.each { origin -> lines << ('control: ' + control(origin, 'mode=slow&delay_ms=' + vars.get('slow_delay_ms'))) }
if (!origins) {
    lines << 'no analyzer_control_urls: the analyzers keep their speed'
}
finish()
