// Builds one packet (contract section 3) with a message count drawn from -Jmix; the assertion checks the
// 202 body against packet_id and packet_messages.
import java.util.concurrent.ThreadLocalRandom

def mix = props.get('ld.mix')
def rnd = ThreadLocalRandom.current()
long pick = rnd.nextLong(mix.total)
int slot = 0
while (pick >= mix.cumulative[slot]) {
    slot++
}
int count = mix.sizes[slot]
String agent = 'jmeter-agent-' + ctx.getThreadNum()
String packetId = agent + '-' + props.get('ld.run') + '-' + props.get('ld.seq').incrementAndGet()
String now = java.time.Instant.now().toString()
String[] sources = ['checkout', 'payments', 'search', 'auth', 'inventory', 'gateway']
StringBuilder body = new StringBuilder(96 + count * 170)
body.append('{"packet_id":"').append(packetId).append('","agent_id":"').append(agent).append('","messages":[')
for (int m = 0; m < count; m++) {
    if (m > 0) {
        body.append(',')
    }
    int r = rnd.nextInt(100)
    String level = r < 55 ? 'INFO' : r < 75 ? 'DEBUG' : r < 90 ? 'WARN' : r < 98 ? 'ERROR' : 'FATAL'
    body.append('{"timestamp":"').append(now).append('","level":"').append(level)
        .append('","source":"').append(sources[rnd.nextInt(sources.length)])
        .append('","message":"request ').append(rnd.nextInt(1000000)).append(' took ').append(rnd.nextInt(2000))
        .append(' ms, user \\"u-').append(rnd.nextInt(5000)).append('\\""')
    if (rnd.nextInt(4) == 0) {
        body.append(',"metadata":{"host":"node-').append(rnd.nextInt(32)).append('","attempt":').append(rnd.nextInt(5)).append('}')
    }
    body.append('}')
}
body.append(']}')
vars.put('packet_id', packetId)
vars.put('packet_messages', String.valueOf(count))
vars.put('packet_body', body.toString())
String apiKey = vars.get('api_key')
if (apiKey) {
    def headers = sampler.getHeaderManager()
    headers.removeHeaderNamed('X-API-Key')
    headers.add(new org.apache.jmeter.protocol.http.control.Header('X-API-Key', apiKey))
}
