// ---- shared helpers (identical in every check of these plans) ----
import groovy.json.JsonSlurper
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.cert.X509Certificate
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManager
import javax.net.ssl.X509TrustManager

String base = vars.get('protocol') + '://' + vars.get('host') + ':' + vars.get('port')
String apiKey = vars.get('api_key')
boolean checkStats = vars.get('check_stats').toBoolean()
HttpClient client = props.get('ld.http')
if (client == null) {
    // like JMeter's own HTTP samplers, trust any server certificate (test deployments use self-signed ones)
    def trustAll = [getAcceptedIssuers: { -> new X509Certificate[0] }, checkClientTrusted: { a, t -> },
                    checkServerTrusted: { a, t -> }] as X509TrustManager
    SSLContext ssl = SSLContext.getInstance('TLS')
    ssl.init(null, [trustAll] as TrustManager[], null)
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).sslContext(ssl).build()
    props.put('ld.http', client)
}
def call = { String method, String url ->
    def request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
    if (apiKey) {
        request.header('X-API-Key', apiKey)
    }
    client.send(request.method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
}
def getJson = { String url ->
    def response = call('GET', url)
    if (response.statusCode() != 200) {
        throw new IllegalStateException('GET ' + url + ' answered ' + response.statusCode() + ': ' + response.body())
    }
    new JsonSlurper().parseText(response.body())
}
def stats = { -> getJson(base + '/stats') }
def analyzerIn = { s, String id -> s.analyzers.find { it.id == id } }
// the distributor is idle: nothing queued and every accepted packet delivered or dead-lettered
def drained = { s -> s.queue.depth == 0 && s.totals.delivered + s.totals.dead_lettered >= s.totals.accepted }
def waitDrained = { long seconds ->
    long deadline = System.currentTimeMillis() + seconds * 1000
    def s = stats()
    while (!drained(s) && System.currentTimeMillis() < deadline) {
        Thread.sleep(500)
        s = stats()
    }
    s
}
def waitHealthy = { long seconds ->
    long deadline = System.currentTimeMillis() + seconds * 1000
    String last = 'no answer'
    while (true) {
        try {
            def response = call('GET', base + '/health')
            if (response.statusCode() == 200) {
                return response.body()
            }
            last = response.statusCode() + ' ' + response.body()
        } catch (Exception e) {
            last = e.toString()
        }
        if (System.currentTimeMillis() >= deadline) {
            throw new IllegalStateException(base + '/health not 200 after ' + seconds + ' s: ' + last)
        }
        Thread.sleep(500)
    }
}
def control = { String origin, String query ->
    def response = call('POST', origin + '/control?' + query)
    if (response.statusCode() != 200) {
        throw new IllegalStateException('POST ' + origin + '/control?' + query + ' answered ' + response.statusCode() + ': ' + response.body())
    }
    response.body()
}
// a check sampler collects problems, fails its sample with all of them and prints them to the console
def lines = []
def problems = []
def expect = { boolean ok, String what -> lines << ((ok ? 'ok      ' : 'FAILED  ') + what); if (!ok) problems << what }
def finish = { ->
    String report = lines.join('\n')
    SampleResult.setResponseData(report, 'UTF-8')
    SampleResult.setDataType(org.apache.jmeter.samplers.SampleResult.TEXT)
    println('[' + SampleResult.getSampleLabel() + ']\n' + report)
    if (problems) {
        SampleResult.setSuccessful(false)
        SampleResult.setResponseCode('500')
        SampleResult.setResponseMessage(problems.join('; '))
    }
}
// prepares the packet builder and the counters the answer assertion feeds
def prepareLoad = { ->
    def sizes = []
    def cumulative = []
    long total = 0
    vars.get('mix').split(',').each { entry ->
        def parts = entry.trim().split(':')
        int size = parts[0].trim() as int
        long weight = parts.length > 1 ? parts[1].trim() as long : 1L
        if (size < 1 || weight < 0) {
            throw new IllegalArgumentException('mix entry "' + entry + '": want messages:weight with messages >= 1')
        }
        total += weight
        sizes << size
        cumulative << total
    }
    if (total <= 0) {
        throw new IllegalArgumentException('mix "' + vars.get('mix') + '" has no positive weight')
    }
    props.put('ld.mix', [sizes: sizes as int[], cumulative: cumulative as long[], total: total, max: sizes.max()])
    props.put('ld.run', Long.toString(System.currentTimeMillis(), 36))
    ['ld.seq', 'ld.accepted', 'ld.acceptedMessages', 'ld.rejected'].each { props.put(it, new AtomicLong()) }
    lines << ('packet mix ' + vars.get('mix') + ', largest ' + sizes.max() + ' messages')
}
def counter = { String name -> ((AtomicLong) props.get(name)).get() }
def delta = { now, before, String key -> (now.totals[key] ?: 0) - (before.totals[key] ?: 0) }
// ---- end of shared helpers ----
