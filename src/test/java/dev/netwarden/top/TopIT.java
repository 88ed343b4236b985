package dev.netwarden.top;

import dev.netwarden.testing.RunningDaemon;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code netwarden top} end to end, as a user sees it: the real launcher in a tmux session of a known
 * size inside a test namespace, where a known program ({@code nwtop-sender}, python3 renamed with
 * prctl) sends a known number of bytes at a known rate over loopback to {@code nwtop-sink}. The pane is
 * captured ({@code tmux capture-pane}) and keys are sent ({@code tmux send-keys}). Beside it, {@code top
 * --json} runs over the same traffic and its totals are checked against the bytes sent. Once standalone
 * (own scan) and once with a daemon in the namespace.
 */
class TopIT {
    static final JsonMapper JSON = JsonMapper.shared();
    static final int PORT = 7311;
    /** The sender waits this long before its first byte, so both tops have taken their first look. */
    static final int WAIT_SECONDS = 5;
    static final int RATE = 150_000;
    static final int SECONDS = 10;
    static final long TOTAL = (long) RATE * SECONDS;
    static final int HOLD_SECONDS = 16;
    /** {@code top --json} ends a few refreshes after the last byte, while the connection is still open. */
    static final int JSON_REFRESHES = WAIT_SECONDS + SECONDS + 4;

    static final String SINK = """
            import ctypes, signal, socket
            ctypes.CDLL(None).prctl(15, b"nwtop-sink", 0, 0, 0)
            signal.alarm(60)
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", %d)); s.listen(4)
            c, _ = s.accept()
            while c.recv(65536):
                pass
            """.formatted(PORT);

    /** Sends RATE bytes a second for SECONDS seconds in 10 chunks a second, then keeps the connection open. */
    static final String SENDER = """
            import ctypes, signal, socket, time
            ctypes.CDLL(None).prctl(15, b"nwtop-sender", 0, 0, 0)
            signal.alarm(60)
            for _ in range(100):
                try:
                    c = socket.create_connection(("127.0.0.1", %d)); break
                except OSError:
                    time.sleep(0.1)
            time.sleep(%d)
            chunk = b"x" * (%d // 10)
            start = time.monotonic()
            for i in range(%d * 10):
                c.sendall(chunk)
                time.sleep(max(0, start + (i + 1) / 10 - time.monotonic()))
            time.sleep(%d)
            """.formatted(PORT, WAIT_SECONDS, RATE, SECONDS, HOLD_SECONDS);

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsRootAndTmux() {
        Assumptions.assumeTrue(TestNamespace.isRoot(), "TopIT needs root: it makes network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "TopIT needs tmux (bin/test installs it)");
    }

    @Test
    void standaloneShowsTheSenderItsRateAndTheKeysWork() throws Exception {
        try (TestNamespace ns = TestNamespace.create("top")) {
            Traffic t = Traffic.start(ns);
            // A socket nobody listens on: standalone even if a daemon runs at the default place outside the namespace.
            Path absent = tmp.resolve("absent.sock");
            List<String> args = List.of("--daemon-socket", absent.toString());
            try (Tmux tmux = Tmux.start(ns, "top-" + ProcessHandle.current().pid(), 80, 24, args)) {
                JsonRun json = startJson(ns, args);
                // Once the whole window lies within the sending, the rate shown is the rate sent.
                String screen = tmux.await(s -> Math.abs(senderRate(s) - RATE) < RATE * 0.15, 30);
                assertThat(screen).contains("source: own scan");
                assertThat(screen.lines().toList()).hasSize(24).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
                exerciseKeys(tmux, "(no daemon: " + absent);
                assertTotals(json, t);
            }
        }
    }

    @Test
    void withADaemonTheSourceIsTheDaemon() throws Exception {
        try (TestNamespace ns = TestNamespace.create("topd");
             RunningDaemon daemon = RunningDaemon.start(ns, tmp.resolve("data"), tmp.resolve("daemon.log"))) {
            Traffic t = Traffic.start(ns);
            List<String> args = List.of("--data-dir", daemon.dataDir().toString());
            try (Tmux tmux = Tmux.start(ns, "topd-" + ProcessHandle.current().pid(), 80, 24, args)) {
                JsonRun json = startJson(ns, args);
                String screen = tmux.await(s -> Math.abs(senderRate(s) - RATE) < RATE * 0.15, 30);
                assertThat(screen).contains("source: daemon").doesNotContain("no daemon");
                tmux.keys("2");
                screen = tmux.await(s -> s.contains("[2 Connections"), 10);
                assertThat(screen).contains("127.0.0.1:" + PORT, "nwtop-sender", "nwtop-sink");
                tmux.keys("q");
                tmux.awaitExit(10);
                assertTotals(json, t);
                JsonNode last = lastLine(json);
                assertThat(last.get("source").asString()).isEqualTo("daemon");
            }
        }
    }

    /**
     * A connection held by the firewall (intercept level, default action prompt) shows as a banner in
     * top; {@code a} and Enter (this destination, once) let it through.
     */
    @Test
    void aFirewallQuestionIsShownAndAnsweredFromTop() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello\n");
        try (TestNamespace ns = TestNamespace.create("topfw")) {
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            ns.start("sh", "-c", "exec " + python + " -m http.server --bind 127.0.0.2 --directory " + www + " 8080 >/dev/null 2>&1");
            for (int i = 0; i < 200 && !ns.exec(10, "sh", "-c", "ss -Htln 'sport = :8080' | wc -l").strip().equals("1"); i++) {
                Thread.sleep(100);
            }
            try (RunningDaemon daemon = RunningDaemon.start(ns, tmp.resolve("data"), tmp.resolve("daemon.log"), "--level", "intercept",
                    "--rules-dir", rules.toString(), "--set", "firewall.default_action=prompt", "--set", "firewall.prompt_timeout=60s");
                 Tmux tmux = Tmux.start(ns, "topfw-" + ProcessHandle.current().pid(), 120, 24,
                         List.of("--data-dir", daemon.dataDir().toString()))) {
                tmux.await(x -> x.contains("source: daemon"), 30);
                Process curl = ns.start("/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "50",
                        "http://127.0.0.2:8080/");
                String s = tmux.await(x -> x.contains("! firewall asks"), 30);
                assertThat(row(s, "! firewall asks")).contains("curl/" + curl.pid(), "-> 127.0.0.2 port 8080 tcp", "a allow, x deny");
                assertThat(curl.isAlive()).as("curl waits for the answer").isTrue();
                tmux.keys("a");
                tmux.await(x -> x.contains("allow [") && x.contains("scope"), 10);
                tmux.keys("Enter");
                assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl got through after the answer").isTrue();
                assertThat(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("200");
                s = tmux.await(x -> x.contains("] allow (once)") && !x.contains("! firewall asks"), 15);
                assertThat(s).contains("allow (once)");
                tmux.keys("q");
                tmux.awaitExit(10);
            }
        }
    }

    /** Panes, sorting, filter, pause, resize and quit, each checked on the captured pane. */
    private static void exerciseKeys(Tmux tmux, String reason) throws Exception {
        tmux.keys("2");
        String s = tmux.await(x -> x.contains("[2 Connections") && x.contains("nwtop-sender"), 10);
        assertThat(s).contains("PROTO", "LOCAL", "REMOTE", "DOMAIN", "PORT", "PROCESS", "UP/s", "DOWN/s", "127.0.0.1:" + PORT);
        tmux.keys("3");
        s = tmux.await(x -> x.contains("[3 Remote hosts"), 10);
        assertThat(s).contains("HOST", "APPS", "127.0.0.1");
        assertThat(row(s, "127.0.0.1")).contains("nwtop-s");

        tmux.keys("1");
        tmux.await(x -> x.contains("[1 Processes"), 10);
        // s: the first column (PID), largest first; r: smallest first.
        tmux.keys("s");
        s = tmux.await(x -> x.contains("PIDv"), 10);
        assertThat(pids(s)).isSortedAccordingTo((a, b) -> Integer.compare(b, a)).hasSizeGreaterThanOrEqualTo(2);
        tmux.keys("r");
        s = tmux.await(x -> x.contains("PID^"), 10);
        assertThat(pids(s)).isSorted();
        tmux.keys(">");
        tmux.await(x -> x.contains("PROCESS^"), 10);

        tmux.keys("/", "s", "e", "n", "d", "Enter");
        s = tmux.await(x -> x.contains("filter \"send\"") && !x.contains("nwtop-sink"), 10);
        assertThat(s).contains("nwtop-sender");
        tmux.keys("Escape");
        tmux.await(x -> !x.contains("filter \"") && x.contains("nwtop-sink"), 10);

        tmux.keys("Space");
        String paused = tmux.await(x -> x.contains("PAUSED"), 10);
        Thread.sleep(2500);
        assertThat(tmux.capture()).as("nothing moves while paused").isEqualTo(paused);
        tmux.keys("Space");
        tmux.await(x -> !x.contains("PAUSED"), 10);

        tmux.resize(170, 30);
        s = tmux.await(x -> x.lines().count() == 30 && x.lines().anyMatch(l -> l.contains("EXECUTABLE") && l.contains("APPS")), 10);
        assertThat(s).contains("Connections", "EXECUTABLE", reason);
        assertThat(s.lines().mapToInt(String::length).max().orElse(0)).isGreaterThan(120).isLessThanOrEqualTo(170);
        tmux.resize(80, 24);
        tmux.await(x -> x.lines().count() == 24 && x.contains("[1 Processes"), 10);

        tmux.keys("q");
        tmux.awaitExit(10);
    }

    /** {@code top --json} in the namespace, its output and errors to files (read when it is done). */
    record JsonRun(Process process, Path out, Path err) {}

    private JsonRun startJson(TestNamespace ns, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env", "NETWARDEN_NO_BUILD=1", RunningDaemon.LAUNCHER.toString(), "top", "--json",
                "--count", Integer.toString(JSON_REFRESHES)));
        cmd.addAll(args);
        Path out = tmp.resolve("top-json.out");
        Path err = tmp.resolve("top-json.err");
        Process p = new ProcessBuilder(ns.inside(cmd)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(p);
        return new JsonRun(p, out, err);
    }

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopStarted() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The last refresh of {@code top --json} counts every byte the sender sent, within 2%, both ends. */
    private static void assertTotals(JsonRun json, Traffic t) throws Exception {
        JsonNode last = lastLine(json);
        assertThat(last.get("schema").asString()).isEqualTo("netwarden.top/1");
        JsonNode sender = process(last, "nwtop-sender");
        JsonNode sink = process(last, "nwtop-sink");
        assertThat(sender.get("sent").asLong()).as("sender's bytes sent since top started").isCloseTo(TOTAL, within((long) (TOTAL * 0.02)));
        assertThat(sink.get("received").asLong()).as("sink's bytes received").isCloseTo(TOTAL, within((long) (TOTAL * 0.02)));
        assertThat(sender.get("pid").asLong()).isEqualTo(t.sender.pid());
        JsonNode conn = null;
        for (JsonNode c : last.get("connections")) {
            if ("nwtop-sender".equals(c.get("name").asString()) && c.get("remote_port").asInt() == PORT) {
                conn = c;
            }
        }
        assertThat(conn).as("the sender's connection in " + last).isNotNull();
        assertThat(conn.get("bytes_out").asLong()).isCloseTo(TOTAL, within((long) (TOTAL * 0.02)));
        assertThat(conn.get("protocol").asString()).isEqualTo("tcp");
        assertThat(conn.get("remote_address").asString()).isEqualTo("127.0.0.1");
    }

    private static JsonNode lastLine(JsonRun json) throws Exception {
        if (!json.process().waitFor(60, TimeUnit.SECONDS)) {
            json.process().destroyForcibly();
            throw new AssertionError("top --json did not finish its refreshes within 60 s");
        }
        List<String> lines = Files.readString(json.out(), StandardCharsets.UTF_8).lines().toList();
        String err = Files.readString(json.err(), StandardCharsets.UTF_8);
        assertThat(json.process().exitValue()).as("exit of top --json; stderr: " + err).isZero();
        assertThat(lines).as("stderr: " + err).hasSize(JSON_REFRESHES);
        return JSON.readTree(lines.getLast());
    }

    private static JsonNode process(JsonNode line, String name) {
        for (JsonNode p : line.get("processes")) {
            if (name.equals(p.get("name").asString())) {
                return p;
            }
        }
        throw new AssertionError("no process " + name + " in " + line);
    }

    /** The UP/s of nwtop-sender's row on the processes pane, in bytes/s; -1 when not shown. */
    static double senderRate(String screen) {
        String r = row(screen, "nwtop-sender");
        if (r == null || !screen.contains("[1 Processes")) {
            return -1;
        }
        String[] f = r.trim().split("\\s+");
        return f.length > 3 ? bytes(f[3]) : -1;
    }

    static double bytes(String cell) {
        if (cell.equals("0") || cell.equals("-")) {
            return 0;
        }
        char unit = cell.charAt(cell.length() - 1);
        double n = Double.parseDouble(cell.substring(0, cell.length() - 1));
        return switch (unit) {
            case 'B' -> n;
            case 'K' -> n * 1024;
            case 'M' -> n * 1024 * 1024;
            case 'G' -> n * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException(cell);
        };
    }

    static String row(String screen, String needle) {
        return screen.lines().filter(l -> l.contains(needle)).findFirst().orElse(null);
    }

    /** The PID column of the processes pane's rows, top to bottom (the unknown row's "-" left out). */
    static List<Integer> pids(String screen) {
        List<String> lines = screen.lines().toList();
        List<Integer> out = new ArrayList<>();
        boolean inTable = false;
        for (String l : lines) {
            if (l.contains("PROCESS") && l.contains("UP/s")) {
                inTable = true;
                continue;
            }
            if (inTable && !l.isBlank() && !l.startsWith("q quit")) {
                String first = l.trim().split("\\s+")[0];
                if (first.matches("\\d+")) {
                    out.add(Integer.parseInt(first));
                }
            }
        }
        return out;
    }

    /** The sink and the sender, started inside the namespace (stopped with it). */
    record Traffic(Process sink, Process sender) {
        static Traffic start(TestNamespace ns) throws Exception {
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            Process sink = ns.start(python, "-c", SINK);
            Process sender = ns.start(python, "-c", SENDER);
            return new Traffic(sink, sender);
        }
    }

    /** A tmux server of its own (-L) running {@code netwarden top} in the namespace, in a window of a known size. */
    static final class Tmux implements AutoCloseable {
        private final String server;

        private Tmux(String server) {
            this.server = server;
        }

        static Tmux start(TestNamespace ns, String server, int width, int height, List<String> args) throws Exception {
            List<String> top = new ArrayList<>(List.of("env", "NETWARDEN_NO_BUILD=1", "TERM=xterm-256color", "LC_ALL=C.UTF-8",
                    RunningDaemon.LAUNCHER.toString(), "top"));
            top.addAll(args);
            List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server, "-f", "/dev/null", "new-session", "-d", "-s", "top",
                    "-x", Integer.toString(width), "-y", Integer.toString(height)));
            cmd.add(String.join(" ", ns.inside(top).stream().map(Tmux::quote).toList()));
            TestNamespace.run(cmd, 20);
            Tmux t = new Tmux(server);
            TestNamespace.run(List.of("tmux", "-L", server, "set-option", "-g", "window-size", "manual"), 10);
            return t;
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }

        String capture() throws Exception {
            return TestNamespace.run(List.of("tmux", "-L", server, "capture-pane", "-p", "-t", "top"), 10);
        }

        /** Polls the pane until {@code done} holds (at most {@code seconds}); fails with the last screen. */
        String await(Predicate<String> done, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            String s = capture();
            while (!done.test(s)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the screen did not get there within " + seconds + " s:\n" + s);
                }
                Thread.sleep(200);
                s = capture();
            }
            return s;
        }

        void keys(String... keys) throws Exception {
            for (String k : keys) {
                TestNamespace.run(List.of("tmux", "-L", server, "send-keys", "-t", "top", k), 10);
            }
        }

        void resize(int width, int height) throws Exception {
            TestNamespace.run(List.of("tmux", "-L", server, "resize-window", "-t", "top", "-x", Integer.toString(width),
                    "-y", Integer.toString(height)), 10);
        }

        /** Waits until top exited (its session closes with it). */
        void awaitExit(int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                try {
                    TestNamespace.run(List.of("tmux", "-L", server, "has-session", "-t", "top"), 10);
                } catch (IOException gone) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("top did not exit within " + seconds + " s of q:\n" + capture());
        }

        @Override
        public void close() {
            try {
                TestNamespace.run(List.of("tmux", "-L", server, "kill-server"), 10);
            } catch (IOException | InterruptedException e) {
                // already gone: top quit and the server exited with its last session
            }
        }
    }
}
