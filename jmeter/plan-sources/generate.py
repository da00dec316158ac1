#!/usr/bin/env python3
"""Writes jmeter/*.jmx from the Groovy scripts next to this file.

The .jmx files are ordinary JMeter 5.6.3 plans (open them in the JMeter GUI to look around); they are
generated so that the helpers every check shares (lib.groovy) and the packet builder and answer
assertion stay identical in all three plans. Edit the .groovy files or this script, then run
    python3 jmeter/plan-sources/generate.py
and commit the regenerated .jmx files with the change.
"""
import os
import sys
from xml.sax.saxutils import escape

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def s(name, value):
    return f'<stringProp name="{name}">{escape(str(value))}</stringProp>'
def b(name, value):
    return f'<boolProp name="{name}">{"true" if value else "false"}</boolProp>'
def i(name, value):
    return f'<intProp name="{name}">{value}</intProp>'

def node(xml, children=()):
    return xml + '\n<hashTree>\n' + '\n'.join(children) + '\n</hashTree>'

def test_plan(name, comment, udvs, children):
    args = ''.join(
        f'<elementProp name="{k}" elementType="Argument">{s("Argument.name", k)}{s("Argument.value", v)}'
        f'{s("Argument.desc", d)}{s("Argument.metadata", "=")}</elementProp>\n' for k, v, d in udvs)
    tp = (f'<TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="{escape(name)}">\n'
          f'{s("TestPlan.comments", comment)}\n'
          f'{b("TestPlan.functional_mode", False)}{b("TestPlan.tearDown_on_shutdown", True)}'
          f'{b("TestPlan.serialize_threadgroups", False)}\n'
          '<elementProp name="TestPlan.user_defined_variables" elementType="Arguments" guiclass="ArgumentsPanel" '
          'testclass="Arguments" testname="User Defined Variables">\n<collectionProp name="Arguments.arguments">\n'
          f'{args}</collectionProp>\n</elementProp>\n{s("TestPlan.user_define_classpath", "")}\n</TestPlan>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">\n<hashTree>\n'
            + node(tp, children) + '\n</hashTree>\n</jmeterTestPlan>\n')

def thread_group(kind, name, threads, loops, children, ramp='0', duration=None, on_error='continue', comment=''):
    cls = {'setup': ('SetupThreadGroup', 'SetupThreadGroupGui'), 'main': ('ThreadGroup', 'ThreadGroupGui'),
           'teardown': ('PostThreadGroup', 'PostThreadGroupGui')}[kind]
    xml = (f'<{cls[0]} guiclass="{cls[1]}" testclass="{cls[0]}" testname="{escape(name)}">\n'
           f'{s("TestPlan.comments", comment)}\n'
           f'{s("ThreadGroup.on_sample_error", on_error)}\n'
           '<elementProp name="ThreadGroup.main_controller" elementType="LoopController" guiclass="LoopControlPanel" '
           'testclass="LoopController" testname="Loop Controller">'
           f'{b("LoopController.continue_forever", False)}{s("LoopController.loops", loops)}</elementProp>\n'
           f'{s("ThreadGroup.num_threads", threads)}{s("ThreadGroup.ramp_time", ramp)}'
           f'{b("ThreadGroup.scheduler", duration is not None)}{s("ThreadGroup.duration", duration or "")}'
           f'{s("ThreadGroup.delay", "")}{b("ThreadGroup.same_user_on_next_iteration", True)}\n</{cls[0]}>')
    return node(xml, children)

def jsr223(kind, name, script, params='', comment=''):
    cls = {'sampler': 'JSR223Sampler', 'pre': 'JSR223PreProcessor', 'assert': 'JSR223Assertion'}[kind]
    if '${' in script:
        raise SystemExit(f'{name}: JMeter would substitute ${{...}} inside the script')
    xml = (f'<{cls} guiclass="TestBeanGUI" testclass="{cls}" testname="{escape(name)}">\n'
           f'{s("TestPlan.comments", comment)}\n'
           f'{s("scriptLanguage", "groovy")}{s("parameters", params)}{s("filename", "")}{s("cacheKey", "true")}\n'
           f'{s("script", script.strip() + chr(10))}\n</{cls}>')
    return xml

def pause(name, millis):
    xml = (f'<TestAction guiclass="TestActionGui" testclass="TestAction" testname="{escape(name)}">'
           f'{i("ActionProcessor.action", 1)}{i("ActionProcessor.target", 0)}{s("ActionProcessor.duration", millis)}</TestAction>')
    return node(xml)

def leaf(xml):
    return node(xml)

def ingest_sampler(allow503):
    http = ('<HTTPSamplerProxy guiclass="HttpTestSampleGui" testclass="HTTPSamplerProxy" testname="POST /ingest">\n'
            f'{s("HTTPSampler.domain", "${host}")}{s("HTTPSampler.port", "${port}")}{s("HTTPSampler.protocol", "${protocol}")}'
            f'{s("HTTPSampler.path", "/ingest")}{s("HTTPSampler.method", "POST")}{s("HTTPSampler.contentEncoding", "UTF-8")}\n'
            f'{b("HTTPSampler.follow_redirects", False)}{b("HTTPSampler.auto_redirects", False)}'
            f'{b("HTTPSampler.use_keepalive", True)}{b("HTTPSampler.DO_MULTIPART_POST", False)}{b("HTTPSampler.postBodyRaw", True)}\n'
            '<elementProp name="HTTPsampler.Arguments" elementType="Arguments"><collectionProp name="Arguments.arguments">'
            '<elementProp name="" elementType="HTTPArgument">'
            f'{b("HTTPArgument.always_encode", False)}{s("Argument.value", "${packet_body}")}{s("Argument.metadata", "=")}'
            '</elementProp></collectionProp></elementProp>\n'
            f'{s("HTTPSampler.connect_timeout", "${connect_timeout_ms}")}{s("HTTPSampler.response_timeout", "${response_timeout_ms}")}'
            f'{s("HTTPSampler.implementation", "HttpClient4")}\n</HTTPSamplerProxy>')
    headers = ('<HeaderManager guiclass="HeaderPanel" testclass="HeaderManager" testname="JSON headers">'
               '<collectionProp name="HeaderManager.headers"><elementProp name="" elementType="Header">'
               f'{s("Header.name", "Content-Type")}{s("Header.value", "application/json")}</elementProp></collectionProp></HeaderManager>')
    return node(http, [
        leaf(headers),
        leaf(jsr223('pre', 'build packet (random size from the mix)', BUILD_PACKET)),
        leaf(jsr223('assert', 'answer is 202 with a matching body' + (' or 503 with Retry-After' if allow503 else ''),
                    ASSERT_ANSWER, params='allow503' if allow503 else 'strict')),
    ])

def rate_timer():
    xml = ('<ConstantThroughputTimer guiclass="TestBeanGUI" testclass="ConstantThroughputTimer" testname="rate / threads per thread">'
           f'{i("calcMode", 0)}{s("throughput", "${per_thread_per_minute}")}</ConstantThroughputTimer>')
    return leaf(xml)

def load_group(name, allow503, comment):
    return thread_group('main', name, '${threads}', '${max_loops}',
                        [rate_timer(), ingest_sampler(allow503)], ramp='${rampup}', duration='${run_seconds}',
                        comment=comment)

def udvs_common(threads, rate, duration, rampup, mix):
    # JMeter evaluates all user-defined variables of one element together, so the derived ones repeat the
    # property look-ups instead of referring to the variables above them
    t, r, d, u = (f'${{__P(threads,{threads})}}', f'${{__P(rate,{rate})}}', f'${{__P(duration,{duration})}}',
                  f'${{__P(rampup,{rampup})}}')
    return [
        ('host', '${__P(host,127.0.0.1)}', 'distributor host (-Jhost)'),
        ('port', '${__P(port,8080)}', 'distributor port (-Jport)'),
        ('protocol', '${__P(protocol,http)}', 'http or https (-Jprotocol)'),
        ('api_key', '${__P(api_key,)}', 'sent as X-API-Key when not empty (-Japi_key)'),
        ('threads', t, 'concurrent agents (-Jthreads)'),
        ('rate', r, 'target packets per second over all threads, reached after the ramp-up (-Jrate)'),
        ('duration', d, 'seconds at the target rate after the ramp-up (-Jduration)'),
        ('rampup', u, 'seconds to start all threads; the rate grows with them (-Jrampup)'),
        ('mix', f'${{__P(mix,{mix.replace(",", chr(92) + ",")})}}', 'packet sizes: messages:weight,... (-Jmix)'),
        ('connect_timeout_ms', '${__P(connect_timeout_ms,3000)}', '(-Jconnect_timeout_ms)'),
        ('response_timeout_ms', '${__P(response_timeout_ms,10000)}', '(-Jresponse_timeout_ms)'),
        ('check_stats', '${__P(check_stats,true)}',
         'compare /stats with what the plan sent; false when other traffic shares the distributor (-Jcheck_stats)'),
        ('drain_timeout', '${__P(drain_timeout,60)}', 'seconds to wait for the queue to drain before the final checks (-Jdrain_timeout)'),
        ('startup_timeout', '${__P(startup_timeout,60)}', 'seconds to wait for /health before giving up (-Jstartup_timeout)'),
        ('run_seconds', f'${{__jexl3({u} + {d})}}', 'derived: thread group lifetime, ramp-up + duration'),
        ('per_thread_per_minute', f'${{__jexl3({r} * 60.0 / {t})}}', 'derived: Constant Throughput Timer target'),
        ('max_loops', f'${{__jexl3(2 * {r} * ({u} + {d}) / {t} + 10)}}',
         'derived: iteration cap per thread (twice the expected count), so the loop is bounded in count as well as time'),
    ]

def script(name):
    with open(os.path.join(os.path.dirname(__file__), name)) as f:
        return f.read()

BUILD_PACKET = script('build_packet.groovy')
ASSERT_ANSWER = script('assert_answer.groovy')
LIB = script('lib.groovy')

def check(name, body, comment=''):
    return leaf(jsr223('sampler', name, LIB + '\n' + script(body), comment=comment))

# ---------------------------------------------------------------------------------------------------------
plans = {}

plans['ingest-load.jmx'] = test_plan(
    'ingest-load',
    'Ramps up to a constant rate of JSON packets whose sizes follow -Jmix and asserts 202 with a body that '
    'echoes the packet id and message count. The tearDown compares /stats with what was sent (-Jcheck_stats).',
    udvs_common(8, 200, 60, 10, '1:30,10:40,100:25,500:5'),
    [
        thread_group('setup', 'setUp: distributor ready', '1', '1', [check('distributor healthy, baseline /stats', 'setup.groovy')],
                     on_error='stoptest'),
        load_group('agents', False, 'Each thread is one agent; the timer keeps every thread at rate/threads packets per second.'),
        thread_group('teardown', 'tearDown: /stats agrees', '1', '1', [check('queue drained, /stats matches what was sent', 'check_ingest.groovy')]),
    ])

plans['failover.jmx'] = test_plan(
    'failover',
    'Steady load while one analyzer is switched to failing (-Jfailure_mode) through its control endpoint and back. '
    'Every answer must be 202 or 503 with Retry-After; afterwards nothing may be dead-lettered and the analyzer '
    'must have received traffic again after its recovery.',
    udvs_common(6, 100, 60, 5, '1:30,10:40,100:25,500:5') + [
        ('analyzer_id', '${__P(analyzer_id,analyzer-2)}', 'the analyzer to fail, as named in /stats (-Janalyzer_id)'),
        ('analyzer_control_url', '${__P(analyzer_control_url,http://127.0.0.1:9002)}',
         'its demo analyzer origin: /control and /stats are below it (-Janalyzer_control_url)'),
        ('failure_mode', '${__P(failure_mode,fail)}', 'fail (500s), hang or unhealthy (-Jfailure_mode)'),
        ('fail_after', '${__P(fail_after,15)}', 'seconds after the ramp-up until the analyzer fails (-Jfail_after)'),
        ('fail_for', '${__P(fail_for,15)}', 'seconds it stays failed; leave at least 8 s of load after it (-Jfail_for)'),
    ],
    [
        thread_group('setup', 'setUp: distributor ready', '1', '1', [check('distributor healthy, analyzer normal, baseline /stats', 'setup_failover.groovy')],
                     on_error='stoptest'),
        load_group('agents', True, 'Steady load for the whole plan.'),
        thread_group('main', 'chaos: fail one analyzer and recover it', '1', '1', [
            pause('wait until the failure starts', '${__jexl3((${rampup} + ${fail_after}) * 1000)}'),
            check('switch the analyzer to failure_mode', 'fail_analyzer.groovy'),
            pause('keep it failed', '${__jexl3(${fail_for} * 1000)}'),
            check('switch the analyzer back to normal', 'recover_analyzer.groovy'),
        ]),
        thread_group('teardown', 'tearDown: recovered, nothing lost', '1', '1', [
            check('restore the analyzer (idempotent)', 'restore_analyzer.groovy'),
            check('queue drained, nothing dead-lettered, analyzer back in rotation', 'check_failover.groovy'),
        ]),
    ])

plans['overload.jmx'] = test_plan(
    'overload',
    'Slows every analyzer (-Jslow_delay_ms) and drives more packets than the distributor can deliver, so its '
    'queue fills. Every answer must be 202 or 503 with Retry-After: no other 5xx, no connection error. The '
    'analyzers are switched back to normal at the end.',
    udvs_common(16, 300, 60, 5, '1:50,10:40,100:10') + [
        ('analyzer_control_urls', '${__P(analyzer_control_urls,http://127.0.0.1:9001\\,http://127.0.0.1:9002\\,http://127.0.0.1:9003\\,http://127.0.0.1:9004)}',
         'comma-separated demo analyzer origins to slow down; empty: leave the analyzers alone (-Janalyzer_control_urls)'),
        ('slow_delay_ms', '${__P(slow_delay_ms,1000)}', 'delay of every analyzer answer during the plan (-Jslow_delay_ms)'),
        ('require_overload', '${__P(require_overload,true)}', 'fail unless the distributor answered at least one 503 queue_full (-Jrequire_overload)'),
    ],
    [
        thread_group('setup', 'setUp: slow the analyzers', '1', '1', [check('distributor healthy, analyzers slowed, baseline /stats', 'setup_overload.groovy')],
                     on_error='stoptest'),
        load_group('agents', True, 'More packets than slowed analyzers can take.'),
        thread_group('teardown', 'tearDown: analyzers normal, nothing lost', '1', '1', [
            check('switch the analyzers back to normal', 'restore_overload.groovy'),
            check('queue drained, overload reached, nothing dead-lettered', 'check_overload.groovy'),
        ]),
    ])

for name, xml in plans.items():
    with open(os.path.join(OUT, name), 'w') as f:
        f.write(xml)
print('wrote', ', '.join(plans))
