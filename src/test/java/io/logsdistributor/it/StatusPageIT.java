package io.logsdistributor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

import io.logsdistributor.demo.DemoAnalyzer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.logging.LogEntry;

/**
 * The status page (GET / and /status) in a real headless chromium against a running distributor with
 * four demo analyzers and a trickle of traffic. One browser and one page serve the tests in order, as
 * an operator would keep the page open: the chart and the screenshot then show the analyzer that left
 * and came back, and the last test changes the analyzer set under the open page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageIT {

    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of("target");
    private static final Path SCREENSHOT = TARGET.resolve("status-page.png");

    @TempDir
    static Path dir;
    private static Fleet fleet;
    private static RunningDistributor distributor;
    private static int port;
    private static StatusTraffic traffic;
    private static StatusBrowser browser;
    /** Console errors the running test causes on purpose (refused connections, 401s); none by default. */
    private Pattern expectedConsoleErrors = Pattern.compile("(?!)");

    @BeforeAll
    static void start() throws Exception {
        browser = StatusBrowser.start(dir.resolve("chromium-profile"), TARGET.resolve("status-page-chromedriver.log"));
        fleet = new Fleet(0.4, 0.3, 0.2, 0.1);
        distributor = RunningDistributor.start(fleet.writeAnalyzersFile(dir), dir.resolve("data"), Map.of());
        port = distributor.port;
        traffic = new StatusTraffic(distributor.uri("/ingest"), Duration.ofMillis(20));
        browser.open(page("/"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (traffic != null) {
            traffic.close();
        }
        if (distributor != null) {
            distributor.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @AfterEach
    void noUnexpectedConsoleErrors() {
        List<String> errors = browser.consoleEntries().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !expectedConsoleErrors.matcher(message).find())
                .collect(Collectors.toList());
        assertThat(errors).as("errors and warnings on the browser console").isEmpty();
    }

    @Test
    @Order(1)
    void showsOneRowPerAnalyzerWithItsTargetShareAndTheQueue() throws Exception {
        String capacity = String.format(Locale.US, "%,d", distributor.stats().get("queue").get("capacity").asLong());
        await().atMost(PAGE_WAIT).untilAsserted(() -> {
            assertThat(polls()).isGreaterThanOrEqualTo(3);
            Map<String, Map<String, String>> rows = browser.analyzersById();
            assertThat(rows.keySet()).containsExactlyInAnyOrder("analyzer-1", "analyzer-2", "analyzer-3", "analyzer-4");
            assertThat(rows.values()).extracting(r -> r.get("target")).containsExactlyInAnyOrder("40.0%", "30.0%", "20.0%", "10.0%");
            assertThat(rows.get("analyzer-1")).containsEntry("weight", "0.4").containsEntry("rotation", "in")
                    .containsEntry("health", "healthy").containsEntry("breaker", "closed")
                    .containsEntry("url", "http://127.0.0.1:" + fleet.get(0).port() + "/ingest");
            assertThat(browser.text("[data-metric=queue-capacity]")).isEqualTo(capacity);
            assertThat(browser.text("#connection")).isEqualTo("live");
            assertThat(browser.text("#uptime")).matches("(\\d+m )?\\d+s");
        });

        // the actual shares the page shows converge on the targets as the traffic flows
        await().atMost(PAGE_WAIT).untilAsserted(() -> {
            for (Map<String, String> row : browser.analyzerRows()) {
                assertThat(percent(row.get("actual"))).as(row.get("id"))
                        .isCloseTo(percent(row.get("target")), offset(3.0));
                assertThat(Long.parseLong(row.get("packets").replace(",", ""))).isPositive();
            }
        });
        await().atMost(PAGE_WAIT).until(() -> rate("messages") > 0 && rate("delivered") > 0);
    }

    @Test
    @Order(2)
    void showsAnAnalyzerOutOfRotationWhileItsHealthFailsAndBackAfter() {
        DemoAnalyzer fourth = fleet.get(3);
        await().atMost(PAGE_WAIT).until(() -> "in".equals(row("analyzer-4").get("rotation")));
        try {
            fourth.control(DemoAnalyzer.Mode.UNHEALTHY, 0);
            await().atMost(PAGE_WAIT).untilAsserted(() -> {
                Map<String, Map<String, String>> rows = browser.analyzersById();
                assertThat(rows.get("analyzer-4")).containsEntry("rotation", "out").containsEntry("health", "unhealthy")
                        .containsEntry("out", "true").containsEntry("target", "0.0%");
                // the weights are renormalised over the three that still take traffic
                assertThat(rows.get("analyzer-1")).containsEntry("target", "44.4%").containsEntry("rotation", "in");
            });
        } finally {
            fourth.control(DemoAnalyzer.Mode.NORMAL, 0);
        }
        await().atMost(PAGE_WAIT).untilAsserted(() -> {
            Map<String, Map<String, String>> rows = browser.analyzersById();
            assertThat(rows.get("analyzer-4")).containsEntry("rotation", "in").containsEntry("health", "healthy")
                    .containsEntry("out", "false").containsEntry("target", "10.0%");
            assertThat(rows.get("analyzer-1")).containsEntry("target", "40.0%");
        });
    }

    @Test
    @Order(3)
    void drawsTheMessageRateAndEachAnalyzersShareAndSavesAScreenshot() throws Exception {
        browser.screenshot(SCREENSHOT); // a failure below leaves a picture of what the page showed
        // lines in each analyzer's colour on the share chart, and the delivered message rate's on the rate chart
        await().atMost(PAGE_WAIT).untilAsserted(() -> {
            for (int i = 1; i <= 4; i++) {
                String color = (String) browser.script("return document.querySelector("
                        + "'#share-legend [data-series=\"analyzer-" + i + "\"] .swatch').style.background;");
                assertThat(browser.pixelsOf("share-chart", color)).as("analyzer-" + i + " on the share chart")
                        .isGreaterThan(40);
            }
            String rateColor = (String) browser.script(
                    "return document.querySelector('#rate-legend [data-series=\"out\"] .swatch').style.background;");
            assertThat(browser.pixelsOf("rate-chart", rateColor)).as("messages delivered/s on the rate chart")
                    .isGreaterThan(40);
        });
        browser.screenshot(SCREENSHOT);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    @Test
    @Order(4)
    void followsTheAnalyzerSetWhenItChangesUnderTheOpenPage() throws Exception {
        // while the distributor stops it answers 503, then nothing answers at all
        expectedConsoleErrors = Pattern.compile("/stats - Failed to load resource: (net::ERR_CONNECTION_REFUSED"
                + "|the server responded with a status of 503)");
        distributor.close();
        await().atMost(PAGE_WAIT).until(() -> "unreachable".equals(browser.text("#connection")));

        // the same port, two of the analyzers with new weights, and one the page has not seen
        Path changed = Files.writeString(dir.resolve("analyzers-changed.yaml"), "analyzers:\n"
                + analyzer("analyzer-1", fleet.get(0).port(), 0.5)
                + analyzer("analyzer-2", fleet.get(1).port(), 0.25)
                + analyzer("analyzer-new", fleet.get(2).port(), 0.25));
        distributor = RunningDistributor.start(changed, dir.resolve("data-changed"),
                Map.of("distributor.http.port", String.valueOf(port)));

        await().atMost(PAGE_WAIT).untilAsserted(() -> {
            Map<String, Map<String, String>> rows = browser.analyzersById();
            assertThat(rows.keySet()).containsExactlyInAnyOrder("analyzer-1", "analyzer-2", "analyzer-new");
            assertThat(rows.get("analyzer-1")).containsEntry("target", "50.0%").containsEntry("weight", "0.5");
            assertThat(rows.get("analyzer-new")).containsEntry("target", "25.0%");
            assertThat(browser.text("#connection")).isEqualTo("live");
        });
        // the counters started again from zero: rates stay rates, never negative
        await().atMost(PAGE_WAIT).until(() -> rate("messages") > 0);
        assertThat(browser.text("#share-legend [data-series='analyzer-new']")).isEqualTo("analyzer-new");
        assertThat(browser.text("#share-legend [data-series='analyzer-3']")).isEqualTo("analyzer-3 (removed)");
    }

    @Test
    @Order(5)
    void asksForAnOperatorKeyKeepsItInTheTabsSessionAndAsksAgainWhenRefused() throws Exception {
        expectedConsoleErrors = Pattern.compile("/stats - Failed to load resource: the server responded with a status of 40[13]");
        String key = "status-" + "k".repeat(40);
        Path keys = Files.writeString(dir.resolve("api-keys.yaml"), "keys:\n  - role: operator\n    sha256: " + sha256(key) + "\n");
        try (Fleet one = new Fleet(1);
                RunningDistributor secured = RunningDistributor.start(
                        one.writeAnalyzersFile(Files.createDirectories(dir.resolve("secured"))),
                        dir.resolve("data-secured"), Map.of("distributor.api-keys-file", keys.toString()))) {
            // the page holds no data: it is served without a key, /stats is not
            HttpResponse<String> page = secured.get("/status");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    csp -> assertThat(csp).contains("default-src 'none'", "connect-src 'self'", "script-src 'sha256-"));
            assertThat(secured.get("/stats").statusCode()).isEqualTo(401);
            assertThat(secured.get("/").body()).isEqualTo(page.body());
            // the page on / does not answer for every path (with keys on, a stranger gets 401 for any other)
            assertThat(secured.get("/no-such-page").statusCode()).isEqualTo(401);

            browser.open("http://127.0.0.1:" + secured.port + "/status");
            await().atMost(PAGE_WAIT).until(() -> browser.visible("#key-form"));
            assertThat(browser.visible("#dashboard")).isFalse();
            assertThat(browser.text("#connection")).isEqualTo("key needed");

            submitKey("not-the-key");
            await().atMost(PAGE_WAIT).until(() -> browser.visible("#key-form")
                    && browser.text("#auth-message").contains("not accepted"));
            assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);

            submitKey(key);
            await().atMost(PAGE_WAIT).until(() -> browser.analyzerRows().size() == 1 && browser.visible("#dashboard"));
            assertThat(browser.analyzerRows().get(0)).containsEntry("id", "analyzer-1")
                    .containsEntry("target", "100.0%");
            assertThat(browser.script("return sessionStorage.getItem('logs-distributor.operator-key')")).isEqualTo(key);
            assertThat(browser.script("return localStorage.length + document.cookie.length")).isEqualTo(0L);

            // the tab's session keeps it across a reload; forgetting it asks again
            browser.refresh();
            await().atMost(PAGE_WAIT).until(() -> browser.analyzerRows().size() == 1 && polls() >= 2);
            assertThat(browser.visible("#key-form")).isFalse();
            browser.find("#forget-key").click();
            await().atMost(PAGE_WAIT).until(() -> browser.visible("#key-form"));
            assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
            assertThat(browser.analyzerRows()).isEmpty();
        }
    }

    private static void submitKey(String key) {
        browser.find("#key-input").sendKeys(key);
        browser.find("#key-form button[type=submit]").click();
    }

    private static String page(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String analyzer(String id, int analyzerPort, double weight) {
        return "  - id: " + id + "\n    url: http://127.0.0.1:" + analyzerPort + "/ingest\n    weight: " + weight + "\n";
    }

    private static Map<String, String> row(String id) {
        return browser.analyzersById().getOrDefault(id, Map.of());
    }

    private static long polls() {
        String polls = (String) browser.script("return document.documentElement.dataset.polls || '0';");
        return Long.parseLong(polls);
    }

    private static double rate(String name) {
        String text = browser.text("[data-rate=" + name + "]");
        return text == null || text.equals("–") ? 0 : Double.parseDouble(text.replace(",", ""));
    }

    private static double percent(String text) {
        return Double.parseDouble(text.replace("%", ""));
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
