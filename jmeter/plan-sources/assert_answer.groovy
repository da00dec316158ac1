// 202 {"status":"accepted","packet_id":<sent>,"messages":<sent>}; with parameter allow503 also
// 503 + Retry-After (whole seconds) + {"error":<known reason>,"retry_after_s":N}. Anything else fails,
// including connection errors and time-outs.
import groovy.json.JsonSlurper

def result = SampleResult
String code = result.getResponseCode()
String body = result.getResponseDataAsString()
boolean allow503 = Parameters != null && Parameters.trim() == 'allow503'
String problem = null
def json = null
try {
    json = body ? new JsonSlurper().parseText(body) : null
} catch (Exception e) {
    json = null
}
if (code == '202') {
    int sent = vars.get('packet_messages') as int
    if (!(json instanceof Map)) {
        problem = '202 body is not a JSON object: ' + body.take(200)
    } else if (json.status != 'accepted') {
        problem = '202 body status is ' + json.status
    } else if (json.packet_id != vars.get('packet_id')) {
        problem = '202 body packet_id ' + json.packet_id + ' but sent ' + vars.get('packet_id')
    } else if (!(json.messages instanceof Number) || json.messages != sent) {
        problem = '202 body messages ' + json.messages + ' but sent ' + sent
    } else {
        props.get('ld.accepted').incrementAndGet()
        props.get('ld.acceptedMessages').addAndGet(sent)
    }
} else if (code == '503' && allow503) {
    String retryAfter = result.getResponseHeaders().readLines()
            .find { it.toLowerCase().startsWith('retry-after:') }?.substring(12)?.trim()
    if (retryAfter == null) {
        problem = '503 without Retry-After'
    } else if (!(retryAfter ==~ /\d+/)) {
        problem = '503 Retry-After is not whole seconds: ' + retryAfter
    } else if (!(json instanceof Map) || !(json.error in ['queue_full', 'no_analyzer_available', 'shutting_down'])) {
        problem = '503 body has no known error: ' + body.take(200)
    } else if (!(json.retry_after_s instanceof Number)) {
        problem = '503 body has no retry_after_s: ' + body.take(200)
    } else {
        props.get('ld.rejected').incrementAndGet()
    }
} else {
    problem = 'unexpected answer ' + code + ' ' + result.getResponseMessage() + ' ' + body.take(200)
}
if (problem != null) {
    AssertionResult.setFailure(true)
    AssertionResult.setFailureMessage(problem)
} else if (!result.isSuccessful()) {
    // JMeter marks every 5xx failed; a 503 with Retry-After is the documented back-pressure answer here
    result.setSuccessful(true)
}
