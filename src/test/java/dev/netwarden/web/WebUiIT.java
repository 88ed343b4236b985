package dev.netwarden.web;

import dev.netwarden.intercept.RootFirewallUnchanged;
import dev.netwarden.testing.NamespaceDns;
import dev.netwarden.testing.NamespacePortForward;
import dev.netwarden.testing.RunningDaemon;
import dev.netwarden.testing.TestNamespace;
import dev.netwarden.testing.TestProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import tools.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI in a real browser: Debian's chromium, driven headless through chromedriver, against the
 * real daemon at the intercept level (default action: prompt) inside a test namespace, reached through
 * {@link NamespacePortForward} (the browser runs in the root namespace; the daemon's 127.0.0.1:7979 is
 * the namespace's). Test programs (curl, python3) run in the namespace against a dnsmasq and HTTP
 * servers there.
 *
 * <p>The rules directory starts with two rules so that only what a test means to hold is held: DNS
 * (port 53) and everything to port 8081 (the programs that only need to be seen) are allowed; curl to
 * port 8080 gets the prompt. (The forwarder's connections to the UI pass: the daemon always lets
 * connections to its own web UI through.)
 *
 * <p>Screenshots of every page (light and dark, desktop and phone width) go to target/screenshots/.
 */
@ExtendWith(RootFirewallUnchanged.class)
class WebUiIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final int PROMPT_PORT = 8080;
    private static final int OPEN_PORT = 8081;
    private static final int UI_PORT = 7979;
    /** The hostile name, literally: a file name, a command-line argument and a rule description carry it unchanged. */
    private static final String XSS = "<img src=x onerror=alert(1)>.example";
    private static final Path SCREENSHOTS = RunningDaemon.HOME.resolve("target/screenshots");
    private static final List<String> PAGES = List.of("overview", "connections", "apps", "history", "rules", "lists",
            "prompts", "alerts");

    private static Path dir;
    private static TestNamespace ns;
    private static NamespaceDns dns;
    private static RunningDaemon daemon;
    private static NamespacePortForward forward;
    private static ChromeDriver driver;
    private static String base;
    private static String token;
    private static String curlExe;
    private static Path holderScript;
    private static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates a network namespace and runs the daemon at the intercept level in it");
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
        assumeTrue(NamespaceDns.available(), "needs " + NamespaceDns.DNSMASQ + " (Debian package dnsmasq-base)");
        assumeTrue(Files.isExecutable(CURL) && Files.isExecutable(PYTHON), "needs curl and python3");
        assumeTrue(Files.isRegularFile(RunningDaemon.HOME.resolve("target/netwarden.jar")), "needs the packaged jar (mvn package)");
        curlExe = CURL.toRealPath().toString();
        dir = Files.createTempDirectory("nw-webui");
        Files.createDirectories(SCREENSHOTS);
        holderScript = dir.resolve("conn_holder.py");
        try (var in = WebUiIT.class.getResourceAsStream("conn_holder.py")) {
            Files.copy(in, holderScript);
        }
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Files.writeString(rules.resolve("allow-dns.toml"), """
                action = "allow"
                priority = 500
                [match]
                port = 53
                """);
        Files.writeString(rules.resolve("allow-open-port.toml"), """
                action = "allow"
                priority = 100
                [match]
                port = %d
                """.formatted(OPEN_PORT));
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        Files.write(www.resolve("big"), new byte[256 * 1024]);

        ns = TestNamespace.create("webui");
        try {
            Map<String, String> names = new LinkedHashMap<>();
            names.put("testsite.test", "127.0.0.2");
            names.put("other.test", "127.0.0.2");
            names.put(XSS, "127.0.0.9");
            dns = NamespaceDns.start(ns, names);
            ns.start("sh", "-c", "exec " + PYTHON + " -m http.server --bind 127.0.0.2 --directory " + www + " " + PROMPT_PORT + " >/dev/null 2>&1");
            ns.start("sh", "-c", "exec " + PYTHON + " -m http.server --bind 0.0.0.0 --directory " + www + " " + OPEN_PORT + " >/dev/null 2>&1");
            awaitListening(PROMPT_PORT);
            awaitListening(OPEN_PORT);
            daemon = RunningDaemon.start(ns, dir.resolve("data"), dir.resolve("daemon.log"), "--level", "intercept",
                    "--rules-dir", rules.toString(), "--set", "firewall.default_action=prompt",
                    "--set", "firewall.prompt_timeout=60s", "--set", "firewall.lists_dir=" + lists);
            token = Files.readString(dir.resolve("data/ui-token")).strip();
            forward = NamespacePortForward.start(ns, UI_PORT);
            base = forward.httpBase();
            driver = chromium();
            login();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            driver = null;
            for (Process p : started) {
                TestProcesses.stop(p);
            }
            if (forward != null) {
                forward.close();
            }
            if (daemon != null) {
                daemon.close();
            }
            if (dns != null) {
                dns.close();
            }
            if (ns != null) {
                ns.close();
            }
        }
    }

    @BeforeEach
    void desktop() {
        viewport(1280, 800);
        setTheme("light");
    }

    @AfterEach
    void noDialogOpened(TestInfo info) {
        assertNoAlert(info.getDisplayName());
    }

    private static ChromeDriver chromium() {
        // Both paths given: Selenium Manager has nothing to find or download.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--hide-scrollbars", "--disable-extensions", "--no-first-run", "--lang=en-US");
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        return d;
    }

    private static void login() {
        driver.get(base + "/login.html");
        driver.findElement(By.id("login-token")).sendKeys(token);
        driver.findElement(By.id("login-submit")).click();
        waitFor(Duration.ofSeconds(20), d -> d.getCurrentUrl().contains("/ui/index.html") && !d.findElements(By.cssSelector("#main .page")).isEmpty());
    }

    // ------------------------------------------------------------------------------------ tests

    /** A wrong token is refused with a message and no session; the right one opens the overview. */
    @Test
    void logsInWithTheTokenOnlyAndLogsOut() {
        driver.manage().deleteAllCookies();
        driver.get(base + "/");
        waitFor(Duration.ofSeconds(10), d -> d.getCurrentUrl().contains("/login.html"));
        driver.findElement(By.id("login-token")).sendKeys("not-the-token");
        driver.findElement(By.id("login-submit")).click();
        WebElement error = waitFor(Duration.ofSeconds(15), d -> displayed(d.findElement(By.id("login-error"))));
        assertThat(error.getText()).startsWith("Wrong token");
        assertThat(driver.manage().getCookieNamed("nw_session")).as("no session for a wrong token").isNull();
        screenshot("login", "desktop-light");

        login();
        assertThat(driver.getCurrentUrl()).endsWith("#/overview");
        assertThat(driver.manage().getCookieNamed("nw_session").isHttpOnly()).isTrue();

        driver.findElement(By.id("logout")).click();
        waitFor(Duration.ofSeconds(10), d -> d.getCurrentUrl().contains("/login.html"));
        driver.get(base + "/ui/index.html#/overview");
        waitFor(Duration.ofSeconds(10), d -> d.getCurrentUrl().contains("/login.html"));
        login();
    }

    /**
     * A connection made by a program in the namespace is a row of the live table within 2 s; its row's
     * actions: sort, block its destination (the rule is shown, then deleted on the Rules page), kill it.
     */
    @Test
    void aNewConnectionAppearsWithinTwoSecondsAndItsRowActionsWork() throws Exception {
        open("connections");
        waitFor(Duration.ofSeconds(15), d -> !d.findElements(By.cssSelector("#conn-table tr[data-id]")).isEmpty());
        Holder h = hold("127.0.0.2", OPEN_PORT, 120);
        filter(String.valueOf(h.process.pid()));
        long appeared = waitFor(Duration.ofSeconds(10), d -> rowsOfPid(h.process.pid()).isEmpty() ? null : System.nanoTime());
        long millis = (appeared - h.connectedAt) / 1_000_000;
        System.out.println("WebUiIT: the new connection's row appeared " + millis + " ms after it connected");
        assertThat(millis).as("ms from connect to row").isLessThan(2_000);
        WebElement row = rowsOfPid(h.process.pid()).getFirst();
        assertThat(row.getText()).contains("python3", "127.0.0.2:" + OPEN_PORT);
        // The row follows the connection's life once a second: the handshake's state gives way to ESTAB.
        waitFor(Duration.ofSeconds(15), d -> rowsOfPid(h.process.pid()).stream().anyMatch(r -> r.getText().contains("ESTAB")));

        // Sorting by a column reorders; the filter narrows.
        filter("");
        driver.findElement(By.cssSelector("#conn-table th[data-key=pid]")).click();
        waitFor(Duration.ofSeconds(5), d -> "ascending".equals(d.findElement(By.cssSelector("#conn-table th[data-key=pid]")).getAttribute("aria-sort")));
        filter(String.valueOf(h.process.pid()));

        // Block the destination from the row: a form shows the rule, Create makes it, the notice shows it.
        rowsOfPid(h.process.pid()).getFirst().findElement(By.cssSelector("button[data-action=block-dest]")).click();
        WebElement blockForm = waitFor(Duration.ofSeconds(5), d -> displayed(d.findElement(By.id("block-form"))));
        assertThat(blockForm.getText()).contains("Block ", "every program");
        blockForm.findElement(By.id("block-submit")).click();
        String notice = waitFor(Duration.ofSeconds(10), d -> {
            String t = d.findElement(By.id("notices")).getText();
            return t.contains("Rule created") ? t : null;
        });
        assertThat(notice).contains("reject", "block-dest-");
        String ruleId = driver.findElement(By.cssSelector("#notices .rule-summary a")).getText();

        // Kill: the program sees its connection end.
        WebElement kill = waitFor(Duration.ofSeconds(5), d -> rowsOfPid(h.process.pid()).stream().findFirst()
                .map(r -> r.findElement(By.cssSelector("button[data-action=kill]"))).orElse(null));
        kill.click();
        assertThat(h.nextLine(15)).as("the holder's connection after Kill").startsWith("closed");
        waitFor(Duration.ofSeconds(10), d -> d.findElement(By.id("notices")).getText().contains("was killed"));
        filter("");

        // The block rule is on the Rules page; delete it there (it would refuse the other tests' programs).
        open("rules");
        WebElement delete = waitFor(Duration.ofSeconds(10), d -> d.findElement(
                By.cssSelector("#rules-table button[data-rule='" + ruleId + "'][data-do=delete]")));
        delete.click();
        delete.click();
        waitFor(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#rules-table tr[data-rule-id='" + ruleId + "']")).isEmpty() ? true : null);
    }

    /**
     * The selects and the port box beside the filter narrow the live table as Sniffnet's Inspect
     * filters do: "listening" leaves only listeners (their remote shown as *), and TCP on top of it only
     * TCP listeners (UDP: only UDP ones); a port keeps the rows with that port at either end; the choices survive a reload of the page (session
     * storage); a term the daemon cannot read is explained under the box; Clear shows everything again.
     */
    @Test
    void theFieldSelectsNarrowTheTable() throws Exception {
        Holder h = hold("127.0.0.2", OPEN_PORT, 120);
        open("connections");
        js().executeScript("sessionStorage.removeItem('netwarden.conns.filter'); sessionStorage.removeItem('netwarden.conns.fields')");
        open("overview");
        open("connections");
        try {
            waitFor(Duration.ofSeconds(15), d -> !rowsOfPid(h.process.pid()).isEmpty());

            new Select(driver.findElement(By.id("conn-dir"))).selectByValue("listen");
            waitFor(Duration.ofSeconds(10), d -> rowsOfPid(h.process.pid()).isEmpty() && !rows().isEmpty()
                    && rows().stream().allMatch(r -> Set.of("LISTEN", "UNCONN").contains(cell(r, 8))) ? true : null);
            assertThat(rows()).as("a listener's remote").allSatisfy(r -> assertThat(cell(r, 4)).isEqualTo("*"));
            assertThat(rows()).as("the web UI's own listener").anySatisfy(r -> assertThat(cell(r, 3)).endsWith(":" + UI_PORT));

            new Select(driver.findElement(By.id("conn-proto"))).selectByValue("tcp");
            waitFor(Duration.ofSeconds(10), d -> !rows().isEmpty() && rows().stream().allMatch(r -> cell(r, 7).equals("tcp")
                    && cell(r, 8).equals("LISTEN")) ? true : null);
            screenshot("connections-filters", "desktop-light");

            driver.navigate().refresh();
            waitFor(Duration.ofSeconds(15), d -> !d.findElements(By.id("conn-dir")).isEmpty());
            assertThat(new Select(driver.findElement(By.id("conn-dir"))).getFirstSelectedOption().getAttribute("value"))
                    .as("kept for the session").isEqualTo("listen");
            assertThat(new Select(driver.findElement(By.id("conn-proto"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("tcp");
            waitFor(Duration.ofSeconds(10), d -> !rows().isEmpty() && rows().stream().allMatch(r -> cell(r, 8).equals("LISTEN")) ? true : null);

            new Select(driver.findElement(By.id("conn-proto"))).selectByValue("udp");
            waitFor(Duration.ofSeconds(10), d -> rows().stream().allMatch(r -> cell(r, 7).equals("udp")) ? true : null);

            new Select(driver.findElement(By.id("conn-dir"))).selectByValue("");
            new Select(driver.findElement(By.id("conn-proto"))).selectByValue("");
            WebElement port = driver.findElement(By.id("conn-port"));
            port.sendKeys(String.valueOf(OPEN_PORT));
            String suffix = ":" + OPEN_PORT;
            waitFor(Duration.ofSeconds(10), d -> !rowsOfPid(h.process.pid()).isEmpty()
                    && rows().stream().allMatch(r -> cell(r, 3).endsWith(suffix) || cell(r, 4).endsWith(suffix)) ? true : null);

            filter("colour:red");
            WebElement error = waitFor(Duration.ofSeconds(10), d -> displayed(d.findElement(By.id("conn-filter-error"))));
            assertThat(error.getText()).contains("unknown field", "proto, port, state");
            filter("");
            waitFor(Duration.ofSeconds(10), d -> d.findElement(By.id("conn-filter-error")).isDisplayed() ? null : true);
        } finally {
            driver.findElement(By.id("conn-clear")).click();
        }
        waitFor(Duration.ofSeconds(10), d -> rows().stream().anyMatch(r -> cell(r, 8).equals("LISTEN"))
                && !rowsOfPid(h.process.pid()).isEmpty() ? true : null);
        assertThat(driver.findElement(By.id("conn-port")).getDomProperty("value")).isEmpty();
    }

    private static List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#conn-table tr[data-id]"));
    }

    private static String cell(WebElement row, int column) {
        return row.findElements(By.tagName("td")).get(column).getDomProperty("textContent");
    }

    /** The overview's chart is drawn: a canvas in #overview-chart with coloured (stacked area) pixels. */
    @Test
    void theOverviewChartDrawsTraffic() throws Exception {
        Process traffic = ns.start(PYTHON.toString(), holderScript.toString(), "traffic", "127.0.0.2", String.valueOf(OPEN_PORT), "6");
        started.add(traffic);
        open("overview");
        waitFor(Duration.ofSeconds(15), d -> !d.findElements(By.cssSelector("#overview-chart canvas")).isEmpty());
        long coloured = waitFor(Duration.ofSeconds(30), d -> {
            long n = colouredPixels("#overview-chart canvas");
            return n > 300 ? n : null;
        });
        assertThat(coloured).as("coloured pixels of the stacked areas").isGreaterThan(300);
        assertThat(driver.findElement(By.id("top-countries")).getText()).isEqualTo("GeoIP not configured.");
        assertThat(driver.findElement(By.id("counter-connections")).getText()).matches("[0-9,]+");
        assertThat(traffic.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** A rule made with the Rules page's form refuses curl at once; before it, the same curl worked. */
    @Test
    void aRuleCreatedInTheUiTakesEffect() throws Exception {
        String url = "http://other.test:" + OPEN_PORT + "/";
        assertThat(curl(url).out).as("curl before the rule").isEqualTo("200");
        open("rules");
        driver.findElement(By.id("rule-new")).click();
        WebElement form = driver.findElement(By.id("rule-form"));
        form.findElement(By.name("id")).sendKeys("ui-no-curl-other");
        new Select(form.findElement(By.name("action"))).selectByValue("reject");
        WebElement priority = form.findElement(By.name("priority"));
        priority.clear();
        priority.sendKeys("200");
        form.findElement(By.name("description")).sendKeys("made in the browser test");
        WebElement first = form.findElement(By.cssSelector(".condition"));
        new Select(first.findElement(By.name("cond-key"))).selectByValue("exe");
        first.findElement(By.name("cond-values")).sendKeys(curlExe);
        form.findElement(By.id("rule-add-condition")).click();
        List<WebElement> conds = form.findElements(By.cssSelector(".condition"));
        new Select(conds.get(1).findElement(By.name("cond-key"))).selectByValue("host");
        conds.get(1).findElement(By.name("cond-values")).sendKeys("other.test");
        screenshot("rules-form", "desktop-light");
        form.findElement(By.id("rule-submit")).click();
        waitFor(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector("#rules-table tr[data-rule-id='ui-no-curl-other']")).isEmpty());
        assertThat(driver.findElement(By.id("notices")).getText()).contains("Rule created", "ui-no-curl-other");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Result r = curl(url);
        while (r.exit != 7 && System.nanoTime() < deadline) {
            Thread.sleep(300);
            r = curl(url);
        }
        assertThat(r.exit).as("curl after the rule (7: connection refused)").isEqualTo(7);

        // A bad rule gets the server's message in the form and changes nothing.
        driver.findElement(By.id("rule-new")).click();
        WebElement bad = driver.findElement(By.id("rule-form"));
        bad.findElement(By.name("id")).sendKeys("bad-port");
        WebElement c = bad.findElement(By.cssSelector(".condition"));
        new Select(c.findElement(By.name("cond-key"))).selectByValue("port");
        c.findElement(By.name("cond-values")).sendKeys("70000");
        bad.findElement(By.id("rule-submit")).click();
        WebElement error = waitFor(Duration.ofSeconds(10), d -> displayed(d.findElement(By.cssSelector("#rule-form .form-error"))));
        assertThat(error.getText()).contains("HTTP 400");
        assertThat(driver.findElements(By.cssSelector("#rules-table tr[data-rule-id='bad-port']"))).isEmpty();

        // Disable in the table: curl works again.
        driver.findElement(By.cssSelector("#rules-table button[data-rule='ui-no-curl-other'][data-do=disable]")).click();
        waitFor(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector("#rules-table button[data-rule='ui-no-curl-other'][data-do=enable]")).isEmpty());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        r = curl(url);
        while (!r.out.equals("200") && System.nanoTime() < deadline) {
            Thread.sleep(300);
            r = curl(url);
        }
        assertThat(r.out).as("curl once the rule is disabled").isEqualTo("200");
    }

    /** curl's connection waits on a prompt; the Prompts page shows it at once and "Allow" releases it. */
    @Test
    void aPromptAnsweredInTheUiLetsTheHeldConnectionThrough() throws Exception {
        open("prompts");
        waitFor(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector("#prompt-list .placeholder, #prompt-list [data-prompt-id]")).isEmpty());
        Process curl = ns.start(CURL.toString(), "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "50",
                "http://testsite.test:" + PROMPT_PORT + "/");
        started.add(curl);
        WebElement card = waitFor(Duration.ofSeconds(20), d -> d.findElements(By.cssSelector("#prompt-list [data-prompt-id]")).stream()
                .filter(e -> e.getText().contains("curl (pid " + curl.pid())).findFirst().orElse(null));
        assertThat(card.getText()).contains("wants to connect to", "testsite.test:" + PROMPT_PORT, curlExe);
        assertThat(driver.findElement(By.id("prompt-badge")).getText()).isNotEmpty();
        screenshot("prompts-pending", "desktop-light");
        assertThat(curl.isAlive()).as("curl waits for the answer").isTrue();
        new Select(card.findElement(By.cssSelector("[data-scope]"))).selectByValue("exe");
        new Select(card.findElement(By.cssSelector("[data-duration]"))).selectByValue("once");
        card.findElement(By.cssSelector("[data-answer=allow]")).click();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished after the answer").isTrue();
        assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("200");
        waitFor(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#prompt-list [data-prompt-id]")).stream()
                .noneMatch(e -> e.getText().contains("curl (pid " + curl.pid())));
    }

    /**
     * The hostile name reaches every page as text: a program whose file name and argument are
     * {@code <img src=x onerror=alert(1)>.example} connects to that name (served by dnsmasq; the daemon
     * shows a DNS name with its escapes), a rule's description carries it. No element is made of it,
     * no dialog opens, and the literal text is on screen.
     */
    @Test
    void hostileNamesAreShownAsTextEverywhere() throws Exception {
        Path exeDir = Files.createDirectories(dir.resolve("xss-bin"));
        Path exe = exeDir.resolve(XSS);
        Files.copy(PYTHON.toRealPath(), exe, StandardCopyOption.REPLACE_EXISTING);
        exe.toFile().setExecutable(true);
        Process p = ns.start(exe.toString(), holderScript.toString(), "hold", XSS, String.valueOf(OPEN_PORT), "120");
        started.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the hostile program connected").startsWith("connected");
        String shownDomain = "<img\\032src=x\\032onerror=alert\\(1\\)>.example"; // the daemon's rendering of the DNS name

        open("connections");
        filter("127.0.0.9");
        // The program's own row (the HTTP server's end of the connection matches 127.0.0.9 too). Waited
        // for by both name and address: until the filter applies, the table may still show the
        // program's other rows (its DNS query to 127.0.0.1:53), in any order.
        WebElement row = waitFor(Duration.ofSeconds(15), d -> rowsContaining("<img src=x oner").stream()
                .filter(r -> r.getText().contains("127.0.0.9:" + OPEN_PORT)).findFirst().orElse(null));
        assertThat(row.getText()).contains(shownDomain.substring(0, 12), "127.0.0.9:" + OPEN_PORT);
        row.click();
        waitFor(Duration.ofSeconds(5), d -> visibleText().contains(exe.toString()));
        assertInert("connections", XSS, shownDomain);
        screenshot("connections-hostile", "desktop-light");

        // A rule whose description is the name (through the UI's form).
        open("rules");
        driver.findElement(By.id("rule-new")).click();
        WebElement form = driver.findElement(By.id("rule-form"));
        form.findElement(By.name("id")).sendKeys("hostile-description");
        new Select(form.findElement(By.name("action"))).selectByValue("deny");
        form.findElement(By.name("description")).sendKeys(XSS);
        WebElement c = form.findElement(By.cssSelector(".condition"));
        new Select(c.findElement(By.name("cond-key"))).selectByValue("exe");
        c.findElement(By.name("cond-values")).sendKeys(exe + "-not-running");
        form.findElement(By.id("rule-submit")).click();
        waitFor(Duration.ofSeconds(10), d -> !d.findElements(By.cssSelector("#rules-table tr[data-rule-id='hostile-description']")).isEmpty());
        assertInert("rules", XSS);

        // The apps, app and history pages read the history once when they open: first wait until the
        // history writer has committed the program's connection (the live table above can be quicker).
        List<JsonNode> recorded = daemon.awaitRows(Duration.ofSeconds(20), rs -> !rs.isEmpty(), "--exe", exe.toString(),
                "--addr", "127.0.0.9");
        assertThat(recorded).as("the program's connection is in the history").isNotEmpty();
        open("apps");
        waitFor(Duration.ofSeconds(20), d -> visibleText().contains(XSS));
        assertInert("apps", XSS);
        driver.get(base + "/ui/index.html#/apps/" + java.net.URLEncoder.encode(exe.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
        waitFor(Duration.ofSeconds(20), d -> visibleText().contains(shownDomain));
        assertInert("app page", XSS, shownDomain);
        screenshot("app-page-hostile", "desktop-light");

        open("history");
        WebElement address = driver.findElement(By.id("history-address"));
        address.sendKeys("127.0.0.9");
        driver.findElement(By.cssSelector("#history-form button[type=submit]")).click();
        waitFor(Duration.ofSeconds(20), d -> visibleText().contains(shownDomain));
        assertInert("history", shownDomain);
        screenshot("history-hostile", "desktop-light");

        open("alerts");
        waitFor(Duration.ofSeconds(20), d -> visibleText().contains(XSS));
        assertInert("alerts", XSS);
    }

    /** A block list added with the Lists page's form is listed, found by the check, and deleted. */
    @Test
    void aBlockListIsAddedCheckedAndDeletedInTheUi() {
        open("lists");
        WebElement form = driver.findElement(By.id("list-form"));
        form.findElement(By.name("name")).sendKeys("ads");
        new Select(form.findElement(By.name("kind"))).selectByValue("content");
        form.findElement(By.name("content")).sendKeys("ads.example\ntracker.example\n");
        new Select(form.findElement(By.name("format"))).selectByValue("domains");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement row = waitFor(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#lists-table tbody tr")).stream()
                .filter(r -> r.getText().startsWith("ads")).findFirst().orElse(null));
        assertThat(row.getText()).contains("domains", "2");
        assertThat(dir.resolve("lists/ads.list")).exists();

        WebElement check = driver.findElement(By.id("list-check-form"));
        check.findElement(By.name("check")).sendKeys("cdn.ads.example");
        check.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(Duration.ofSeconds(10), d -> d.findElement(By.id("list-check-result")).getText().contains("on ads as ads.example") ? true : null);

        WebElement delete = driver.findElement(By.cssSelector("#lists-table button[data-list=ads]"));
        delete.click();
        assertThat(delete.getText()).isEqualTo("Really delete?");
        delete.click();
        waitFor(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#lists-table button[data-list=ads]")).isEmpty() ? true : null);
        assertThat(dir.resolve("lists/ads.list")).doesNotExist();
    }

    /** Every page at a phone's width (390 px) fits: no horizontal scroll of the page itself. */
    @Test
    void everyPageFitsAPhoneWidth() {
        viewport(390, 844);
        for (String page : PAGES) {
            open(page);
            sleep(1200);
            Map<?, ?> w = (Map<?, ?>) js().executeScript(
                    "return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth}");
            assertThat(((Number) w.get("scroll")).longValue()).as(page + ": page width at 390 px").isLessThanOrEqualTo(((Number) w.get("client")).longValue());
        }
    }

    /**
     * The theme toggle switches to dark and the choice survives a reload; screenshots of every page in
     * both themes at desktop width, and of the overview and connections at phone width.
     */
    @Test
    void themesAndScreenshotsOfEveryPage() {
        open("overview");
        String before = scheme();
        driver.findElement(By.id("theme-toggle")).click();
        String after = scheme();
        assertThat(after).isNotEqualTo(before);
        driver.navigate().refresh();
        waitFor(Duration.ofSeconds(15), d -> !d.findElements(By.cssSelector("#main .page")).isEmpty());
        assertThat(scheme()).as("the chosen theme after a reload").isEqualTo(after);

        for (String theme : List.of("light", "dark")) {
            setTheme(theme);
            viewport(1280, 800);
            for (String page : PAGES) {
                open(page);
                sleep(1500);
                screenshot(page, "desktop-" + theme);
            }
            viewport(390, 844);
            for (String page : List.of("overview", "connections", "prompts")) {
                open(page);
                sleep(1500);
                screenshot(page, "phone-" + theme);
            }
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    private record Result(int exit, String out) {}

    private static Result curl(String url) throws Exception {
        Process p = new ProcessBuilder(ns.inside(List.of(CURL.toString(), "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "10", url))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** A python3 in the namespace holding one TCP connection; connectedAt = when it said so. */
    private static final class Holder {
        final Process process;
        final BufferedReader out;
        long connectedAt;

        Holder(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String nextLine(int seconds) throws Exception {
            var f = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return "error " + e;
                }
            });
            return f.get(seconds, TimeUnit.SECONDS);
        }
    }

    private static Holder hold(String address, int port, int seconds) throws Exception {
        Process p = ns.start(PYTHON.toString(), holderScript.toString(), "hold", address, String.valueOf(port), String.valueOf(seconds));
        started.add(p);
        Holder h = new Holder(p);
        String line = h.nextLine(20);
        h.connectedAt = System.nanoTime();
        assertThat(line).as("holder output").startsWith("connected");
        return h;
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!ns.exec(10, "sh", "-c", "ss -Htln 'sport = :" + port + "'").isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("http server on port " + port + " did not listen");
    }

    private static JavascriptExecutor js() {
        return driver;
    }

    private static void open(String page) {
        driver.get(base + "/ui/index.html#/" + page);
        waitFor(Duration.ofSeconds(15), d -> page.equals(d.findElement(By.id("main")).getAttribute("data-page"))
                && !d.findElements(By.cssSelector("#main .page")).isEmpty());
    }

    private static void filter(String text) {
        WebElement f = driver.findElement(By.id("conn-filter"));
        f.clear();
        if (!text.isEmpty()) {
            f.sendKeys(text);
        } else {
            js().executeScript("arguments[0].dispatchEvent(new Event('input'))", f);
        }
    }

    private static List<WebElement> rowsContaining(String text) {
        return driver.findElements(By.cssSelector("#conn-table tr[data-id]")).stream()
                .filter(r -> r.getText().contains(text)).toList();
    }

    /** The live table's rows whose PID cell is exactly this pid. */
    private static List<WebElement> rowsOfPid(long pid) {
        return driver.findElements(By.cssSelector("#conn-table tr[data-id]")).stream()
                .filter(r -> String.valueOf(pid).equals(r.findElements(By.tagName("td")).get(1).getDomProperty("textContent")))
                .toList();
    }

    private static String visibleText() {
        return (String) js().executeScript("return document.body.innerText");
    }

    /** No element made from the names, no dialog, and each literal is visible text. */
    private static void assertInert(String where, String... literals) {
        assertNoAlert(where);
        Number made = (Number) js().executeScript("return document.querySelectorAll('img, svg, script:not([src]), iframe, object, embed').length");
        assertThat(made.intValue()).as(where + ": elements made from hostile text").isZero();
        String text = visibleText();
        for (String l : literals) {
            assertThat(text).as(where + ": the literal text is on screen").contains(l);
        }
    }

    private static void assertNoAlert(String where) {
        if (driver == null) {
            return;
        }
        try {
            String t = driver.switchTo().alert().getText();
            driver.switchTo().alert().dismiss();
            fail(where + ": a dialog opened: " + t);
        } catch (NoAlertPresentException expected) {
            // none
        }
    }

    private static long colouredPixels(String canvasSelector) {
        Object n = js().executeScript("""
                const c = document.querySelector(arguments[0]);
                if (!c || !c.width) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  const max = Math.max(d[i], d[i + 1], d[i + 2]), min = Math.min(d[i], d[i + 1], d[i + 2]);
                  if (d[i + 3] > 200 && max - min > 60) n++;
                }
                return n;""", canvasSelector);
        return ((Number) n).longValue();
    }

    private static String scheme() {
        return ((String) js().executeScript("return getComputedStyle(document.documentElement).getPropertyValue('--scheme')")).strip();
    }

    private static void setTheme(String theme) {
        if (driver.getCurrentUrl().startsWith(base)) {
            js().executeScript("localStorage.setItem('netwarden.theme', arguments[0]); document.documentElement.dataset.theme = arguments[0];"
                    + "window.dispatchEvent(new Event('themechange'))", theme);
        }
    }

    /** The page's size in CSS pixels (a phone: mobile emulation, so media queries see 390 px). */
    private static void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    }

    private static void screenshot(String page, String variant) {
        try {
            File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(f.toPath(), SCREENSHOTS.resolve(page + "-" + variant + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AssertionError("screenshot " + page + ": " + e, e);
        }
    }

    private static WebElement displayed(WebElement e) {
        return e.isDisplayed() ? e : null;
    }

    private static <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
