package io.logsdistributor.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium driven through its own chromedriver, named explicitly so that Selenium
 * Manager never looks for (or downloads) a driver. Reads what the status page renders in one script
 * call per look, so a poll that re-renders mid-read cannot tear the answer.
 */
final class StatusBrowser implements AutoCloseable {

    static final String INSTALL = "apt-get install chromium chromium-driver";
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.path", "/usr/bin/chromedriver"));
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private StatusBrowser(Path profile, Path driverLog) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000", "--force-device-scale-factor=1");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(driverLog.toFile()).withLogLevel(ChromiumDriverLogLevel.WARNING).build();
        driver = new ChromeDriver(service, options);
    }

    /** Fails (never skips) when the browser is not installed, saying how to install it. */
    static StatusBrowser start(Path profile, Path driverLog) throws IOException {
        for (Path binary : List.of(CHROMEDRIVER, CHROMIUM)) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError("the status page test needs Debian's chromium and chromedriver, but " + binary
                        + " is missing: run '" + INSTALL + "' as root (.ci/run does), or point -Dchromium.path and "
                        + "-Dchromedriver.path at a matching pair");
            }
        }
        Files.createDirectories(driverLog.getParent());
        return new StatusBrowser(profile, driverLog);
    }

    void open(String url) {
        driver.get(url);
    }

    void refresh() {
        driver.navigate().refresh();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    String text(String css) {
        return (String) script("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;", css);
    }

    boolean visible(String css) {
        return driver.findElements(By.cssSelector(css)).stream().anyMatch(WebElement::isDisplayed);
    }

    /** Each analyzer row as the page shows it: one entry per cell by its data-field, then "id", "url" and "out". */
    @SuppressWarnings("unchecked")
    List<Map<String, String>> analyzerRows() {
        return (List<Map<String, String>>) script("""
                return Array.from(document.querySelectorAll('#analyzer-rows tr')).map((tr) => {
                  const row = {};
                  tr.querySelectorAll('td[data-field]').forEach((td) => { row[td.dataset.field] = td.textContent.trim(); });
                  row.id = tr.dataset.analyzer;
                  row.url = tr.querySelector('.url').textContent;
                  row.out = String(tr.classList.contains('out'));
                  return row;
                });""");
    }

    Map<String, Map<String, String>> analyzersById() {
        return analyzerRows().stream().collect(Collectors.toMap(r -> r.get("id"), r -> r));
    }

    /** Pixels of a canvas within a small distance of a colour: the colour as the page paints it (CSS). */
    long pixelsOf(String canvasId, String cssColor) {
        return ((Number) script("""
                const canvas = document.getElementById(arguments[0]);
                const probe = document.createElement('span');
                probe.style.color = arguments[1];
                document.body.append(probe);
                const [r, g, b] = getComputedStyle(probe).color.match(/\\d+/g).map(Number);
                probe.remove();
                // read a copy: repeated reads of the page's own canvas make chromium warn on the console
                const copy = document.createElement('canvas');
                copy.width = canvas.width;
                copy.height = canvas.height;
                const context = copy.getContext('2d', { willReadFrequently: true });
                context.drawImage(canvas, 0, 0);
                const data = context.getImageData(0, 0, copy.width, copy.height).data;
                let n = 0;
                for (let i = 0; i < data.length; i += 4) {
                  if (data[i + 3] > 200 && Math.abs(data[i] - r) < 24 && Math.abs(data[i + 1] - g) < 24
                      && Math.abs(data[i + 2] - b) < 24) { n++; }
                }
                return n;""", canvasId, cssColor)).longValue();
    }

    /** Reading drains the browser's log: each entry is seen once. */
    List<LogEntry> consoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
