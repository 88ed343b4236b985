package dev.netwarden.web;

import dev.netwarden.history.HistoryBench;
import dev.netwarden.history.HistoryStore;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The web UI benchmark of issue 5 (run by bench/web-ui.sh inside a namespace that holds the live
 * connections): a history of ROWS generated connections, the real daemon (passive level) over it,
 * then chromium through Selenium. Measures
 * <ul>
 *   <li>page loads: navigation to load event, and to the page showing its data (the full live table,
 *   the chart, the history's first answer);</li>
 *   <li>the live table with every connection: updates per second, long tasks (PerformanceObserver
 *   'longtask', over 50 ms) and frame gaps (requestAnimationFrame) while it runs;</li>
 *   <li>the daemon's CPU (/proc/PID/stat utime + stime) over the same length of time without a browser
 *   and with the Connections page open.</li>
 * </ul>
 * Usage: WebUiBench DATA_DIR ROWS SECONDS CLK_TCK EXPECTED_CONNECTIONS
 */
public final class WebUiBench {
    private static final Path HOME = Path.of(System.getProperty("netwarden.home", ".")).toAbsolutePath();
    private static final String BASE = "http://127.0.0.1:7979";

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int clkTck = Integer.parseInt(args[3]);
        int expected = Integer.parseInt(args[4]);

        Files.createDirectories(data);
        if (rows > 0 && !Files.exists(data.resolve(HistoryStore.FILE_NAME))) {
            long t = System.nanoTime();
            long hour = 3_600_000L;
            long end = System.currentTimeMillis() / hour * hour;
            long span = 30L * 24 * hour;
            try (HistoryStore store = HistoryStore.open(data)) {
                HistoryBench.generate(store, rows, end - span, span);
            }
            System.out.printf("history: %,d generated connections over 30 days in %.1f s%n", rows, (System.nanoTime() - t) / 1e9);
        }

        Process daemon = new ProcessBuilder("env", "NETWARDEN_NO_BUILD=1", HOME.resolve("bin/netwarden").toString(),
                "daemon", "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(data.resolve("daemon.log").toFile()).start();
        ChromeDriver driver = null;
        try {
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
            awaitHealth(http, daemon);
            String token = Files.readString(data.resolve("ui-token")).strip();
            send(http, HttpRequest.newBuilder(URI.create(BASE + "/api/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build());
            long total = awaitConnections(http, expected);
            System.out.printf("live: %,d connections in /api/connections%n", total);
            Thread.sleep(5_000); // the first attribution of every socket is over; the sampler runs

            double idle = cpuShare(daemon.pid(), seconds, clkTck, () -> { });
            System.out.printf("daemon CPU without a browser: %.2f %% of a core over %d s%n", idle * 100, seconds);

            driver = chromium();
            JavascriptExecutor js = driver;
            driver.get(BASE + "/login.html");
            driver.findElement(By.id("login-token")).sendKeys(token);
            driver.findElement(By.id("login-submit")).click();
            waitFor(driver, 30, d -> d.getCurrentUrl().contains("/ui/index.html") ? true : null);

            ChromeDriver d0 = driver;
            pageLoad(driver, "connections", () -> {
                String n = (String) js.executeScript("const e = document.querySelector('.vtable-scroll'); return e && e.dataset.refreshes");
                String c = d0.findElement(By.id("conn-count")).getText();
                return n != null && c.matches("^[0-9,]+ open.*") && Long.parseLong(c.replaceAll("[^0-9].*", "").replace(",", "")) >= 0
                        && !d0.findElements(By.cssSelector("#conn-table tr[data-id]")).isEmpty();
            });
            pageLoad(driver, "overview", () -> !d0.findElements(By.cssSelector("#overview-chart canvas")).isEmpty()
                    && !d0.findElement(By.id("counter-connections")).getText().equals("–"));
            pageLoad(driver, "history", () -> {
                String c = d0.findElement(By.id("history-count")).getText();
                return !c.isEmpty() && !c.contains("loading");
            });
            long t = System.nanoTime();
            new Select(driver.findElement(By.id("history-range-preset"))).selectByValue("30d");
            waitFor(driver, 60, d -> {
                String c = d.findElement(By.id("history-count")).getText();
                return !c.isEmpty() && !c.contains("loading") ? c : null;
            });
            System.out.printf("history, last 30 days (%,d rows in range): %d ms to the first answer%n", rows, (System.nanoTime() - t) / 1_000_000);
            pageLoad(driver, "apps", () -> !d0.findElements(By.id("apps-table")).isEmpty());

            // The live table, every connection, for SECONDS: its updates, long tasks, frame gaps, the daemon's CPU.
            driver.get(BASE + "/ui/index.html#/connections");
            waitFor(driver, 30, d -> d.findElements(By.cssSelector("#conn-table tr[data-id]")).isEmpty() ? null : true);
            js.executeScript("""
                    window.__bench = {long: [], frames: [], last: performance.now(), updates0: Number(document.querySelector('.vtable-scroll').dataset.refreshes)};
                    new PerformanceObserver(l => { for (const e of l.getEntries()) window.__bench.long.push(e.duration); })
                      .observe({type: 'longtask'});
                    const f = now => { window.__bench.frames.push(now - window.__bench.last); window.__bench.last = now; requestAnimationFrame(f); };
                    requestAnimationFrame(f);""");
            ChromeDriver d1 = driver;
            double withUi = cpuShare(daemon.pid(), seconds, clkTck, () -> {
                // scroll a little every second, as a person reading the table would
                d1.executeScript("const s = document.querySelector('.vtable-scroll'); s.scrollTop = (s.scrollTop + 900) % 200000;");
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> b = (Map<String, Object>) js.executeScript("""
                    const b = window.__bench, f = b.frames.slice(1).sort((x, y) => x - y), l = b.long;
                    return {updates: Number(document.querySelector('.vtable-scroll').dataset.refreshes) - b.updates0,
                      longCount: l.length, longTotal: l.reduce((a, x) => a + x, 0), longMax: l.length ? Math.max(...l) : 0,
                      frames: f.length, p50: f[Math.floor(f.length * 0.5)] || 0, p99: f[Math.floor(f.length * 0.99)] || 0,
                      maxFrame: f.length ? f[f.length - 1] : 0, count: document.getElementById('conn-count').textContent};""");
            System.out.printf("live table (%s): %s refreshes from the daemon in %d s; long tasks %s (total %.0f ms, longest %.0f ms); frames %s, "
                            + "gap median %.1f ms, p99 %.1f ms, max %.1f ms%n", b.get("count"), b.get("updates"), seconds,
                    b.get("longCount"), num(b.get("longTotal")), num(b.get("longMax")), b.get("frames"), num(b.get("p50")),
                    num(b.get("p99")), num(b.get("maxFrame")));
            System.out.printf("daemon CPU with the Connections page open: %.2f %% of a core; added by the UI: %.2f %% of a core%n",
                    withUi * 100, (withUi - idle) * 100);
        } finally {
            if (driver != null) {
                driver.quit();
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(daemon.pid())).start().waitFor(10, TimeUnit.SECONDS);
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    private static double num(Object o) {
        return o == null ? 0 : ((Number) o).doubleValue();
    }

    private static ChromeDriver chromium() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(new File("/usr/bin/chromium"));
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
        return new ChromeDriver(service, o);
    }

    private interface Check {
        boolean done() throws Exception;
    }

    /** Navigates from about:blank to the page; prints load-event and data-shown times. */
    private static void pageLoad(ChromeDriver driver, String page, Check shown) throws Exception {
        driver.get("about:blank");
        long t0 = System.nanoTime();
        driver.get(BASE + "/ui/index.html#/" + page);
        Number load = (Number) driver.executeScript(
                "const n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd : -1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!safely(shown) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        System.out.printf("page %s: load event at %.0f ms, its data shown at %d ms%n", page, load.doubleValue(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static boolean safely(Check c) {
        try {
            return c.done();
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    private static <T> T waitFor(ChromeDriver driver, int seconds, Function<org.openqa.selenium.WebDriver, T> f) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(20))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(f);
    }

    /** The process's CPU (utime + stime) over {@code seconds}, as a share of one core; {@code each} runs once a second. */
    private static double cpuShare(long pid, int seconds, int clkTck, Runnable each) throws Exception {
        long before = ticks(pid);
        long t0 = System.nanoTime();
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1000);
            each.run();
        }
        long after = ticks(pid);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return (after - before) / (double) clkTck / elapsed;
    }

    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
    }

    private static void awaitHealth(HttpClient http, Process daemon) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("daemon exited " + daemon.exitValue());
            }
            try {
                if (send(http, HttpRequest.newBuilder(URI.create(BASE + "/api/health")).build()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the web UI did not answer within 90 s");
    }

    private static long awaitConnections(HttpClient http, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long total = 0;
        while (System.nanoTime() < deadline) {
            String body = send(http, HttpRequest.newBuilder(URI.create(BASE + "/api/connections?limit=1")).build()).body();
            var m = java.util.regex.Pattern.compile("\"total\":(\\d+)").matcher(body);
            total = m.find() ? Long.parseLong(m.group(1)) : 0;
            if (total >= expected) {
                return total;
            }
            Thread.sleep(500);
        }
        System.out.printf("live: only %,d of %,d connections after 90 s%n", total, expected);
        return total;
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest r) throws IOException, InterruptedException {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private WebUiBench() {
    }

    static {
        // Selenium's own logging would bury the results.
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(java.util.logging.Level.SEVERE);
    }
}
