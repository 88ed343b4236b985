package dev.netwarden.daemon;

import dev.netwarden.cli.Main;
import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real daemon (its own JVM, {@code Main daemon}) in a test namespace: lock, control socket, status,
 * {@code conns} through its warm index against real sockets held by real python processes (including a
 * fork whose parent then closes its copy), the fallback when it is gone, and a clean SIGTERM stop.
 */
class DaemonIT {
    private static final JsonMapper JSON = JsonMapper.shared();

    /** Holds a listener and a connected pair; on a line from stdin forks a child that keeps the accepted socket while the parent closes its copy. */
    private static final String HOLDER = """
            import os, socket, sys, time
            l = socket.socket(); l.bind(('127.0.0.1', 7000)); l.listen(16)
            c = socket.create_connection(('127.0.0.1', 7000)); a, _ = l.accept()
            print('ready', flush=True)
            sys.stdin.readline()
            pid = os.fork()
            if pid == 0:
                l.close(); c.close(); time.sleep(30); os._exit(0)
            a.close()
            print(pid, flush=True)
            time.sleep(30)
            """;

    @TempDir
    Path dir;

    @Test
    void daemonServesConnsLikeStandaloneAndStopsCleanly() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root to create network namespaces");
        Path data = dir.resolve("data");
        Path socket = data.resolve("control.sock");
        Path log = dir.resolve("daemon.log");
        long child = -1;
        try (TestNamespace ns = TestNamespace.create("daemon")) {
            // No web UI: its listening socket would be one more socket in the namespace than the python holder's.
            ProcessBuilder pb = new ProcessBuilder(ns.inside(TestNamespace.javaCommand(Main.class, "daemon",
                    "--data-dir", data.toString(), "--set", "monitor.poll_interval=200ms", "--set", "web.enabled=false")));
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process daemon = pb.start();
            try {
                awaitStatus(ns, socket, daemon, log);

                // A second daemon on the same data dir is refused, naming the first one's pid.
                ProcessBuilder second = new ProcessBuilder(ns.inside(TestNamespace.javaCommand(Main.class, "daemon",
                        "--data-dir", data.toString())));
                second.redirectErrorStream(true);
                Process p2 = second.start();
                String out2 = new String(p2.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p2.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p2.exitValue()).isEqualTo(1);
                assertThat(out2).contains("another netwarden daemon (pid " + daemon.pid() + ") uses " + data);

                Process holder = ns.start("python3", "-c", HOLDER);
                BufferedReader holderOut = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertThat(holderOut.readLine()).isEqualTo("ready");
                long parent = holder.pid();

                Map<String, TreeSet<String>> standalone = owners(ns, "--no-daemon");
                long before = socketIndexRequests(ns, socket);
                Map<String, TreeSet<String>> viaDaemon = owners(ns, "--daemon-socket", socket.toString());
                assertThat(socketIndexRequests(ns, socket)).isEqualTo(before + 1); // the daemon answered
                assertThat(viaDaemon).isEqualTo(standalone);
                assertThat(viaDaemon.get("LISTEN 127.0.0.1:7000")).containsExactly(parent + ":python3");
                assertThat(viaDaemon.values()).allSatisfy(s -> assertThat(s).containsExactly(parent + ":python3"));
                assertThat(viaDaemon).hasSize(3);

                // The warm index has seen the parent hold the accepted socket; now a child takes it over.
                OutputStream in = holder.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                child = Long.parseLong(holderOut.readLine().strip());
                Map<String, TreeSet<String>> afterFork = owners(ns, "--daemon-socket", socket.toString());
                assertThat(afterFork).isEqualTo(owners(ns, "--no-daemon"));
                String accepted = afterFork.keySet().stream().filter(k -> k.startsWith("ESTAB 127.0.0.1:7000")).findFirst().orElseThrow();
                assertThat(afterFork.get(accepted)).containsExactly(child + ":python3"); // never the parent that closed it

                // SIGTERM: services close in reverse, exit 0, lock, pid file and socket are gone.
                new ProcessBuilder("kill", "-TERM", Long.toString(daemon.pid())).start().waitFor();
                assertThat(daemon.waitFor(20, TimeUnit.SECONDS)).as("daemon stops on SIGTERM").isTrue();
                assertThat(daemon.exitValue()).isZero();
                String text = Files.readString(log);
                assertThat(text).contains("netwarden daemon", "control socket: " + socket);
                assertThat(text.indexOf("stopped control")).isPositive().isLessThan(text.indexOf("stopped socket-index"));
                assertThat(socket).doesNotExist();
                assertThat(data.resolve("netwarden.pid")).doesNotExist();

                // Without a daemon conns falls back to its own scan, with the same owners, and says why.
                Process conns = new ProcessBuilder(ns.inside(TestNamespace.javaCommand(Main.class, "conns", "-ta", "--json",
                        "--daemon-socket", socket.toString()))).start();
                String stdout = new String(conns.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String stderr = new String(conns.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(conns.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(stderr).contains("no daemon at " + socket).contains("scanning /proc instead");
                assertThat(parse(stdout)).isEqualTo(afterFork);
            } finally {
                if (daemon.isAlive()) {
                    daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                if (child > 0) {
                    ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    @Test
    void withoutCapabilitiesItNamesTheMissingOnesAndExits1() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root (to show that uid 0 without the capabilities is refused)");
        // Still uid 0, but with an empty bounding set: the check is about capabilities, not the uid.
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--"));
        cmd.addAll(TestNamespace.javaCommand(Main.class, "daemon", "--data-dir", dir.resolve("data").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("missing capabilities CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH");
        assertThat(dir.resolve("data")).doesNotExist(); // nothing was created
    }

    private static void awaitStatus(TestNamespace ns, Path socket, Process daemon, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("daemon exited " + daemon.exitValue() + ": " + Files.readString(log));
            }
            if (Files.exists(socket)) {
                JsonNode status = status(socket);
                assertThat(status.get("ok").asBoolean()).isTrue();
                assertThat(status.get("pid").asLong()).isEqualTo(daemon.pid());
                assertThat(status.get("level").asString()).isEqualTo("passive");
                assertThat(status.get("net_ns").asString())
                        .isEqualTo(ns.exec(10, "readlink", "/proc/self/ns/net").strip());
                assertThat(status.get("services").get("socket-index").get("full_scans").asLong()).isEqualTo(1);
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no control socket after 30 s: " + Files.readString(log));
    }

    private static JsonNode status(Path socket) throws IOException {
        try (var c = dev.netwarden.daemon.control.ControlClient.connect(socket, java.time.Duration.ofSeconds(2))) {
            return c.call("status", java.time.Duration.ofSeconds(5));
        }
    }

    private static long socketIndexRequests(TestNamespace ns, Path socket) throws IOException {
        return status(socket).get("services").get("socket-index").get("requests").asLong();
    }

    /** conns -ta --json in the namespace: "STATE local[ remote]" → {"pid:name", ...}. */
    private static Map<String, TreeSet<String>> owners(TestNamespace ns, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("conns", "-ta", "--json"));
        args.addAll(List.of(extra));
        String out = ns.exec(30, TestNamespace.javaCommand(Main.class, args.toArray(String[]::new)));
        return parse(out);
    }

    private static Map<String, TreeSet<String>> parse(String json) {
        Map<String, TreeSet<String>> m = new TreeMap<>();
        for (JsonNode s : JSON.readTree(json).get("sockets")) {
            String state = s.get("state").asString().equals("listening") ? "LISTEN" : s.get("state").asString().equals("established") ? "ESTAB" : s.get("state").asString();
            String key = state + " " + s.get("local").get("address").asString() + ":" + s.get("local").get("port").asInt()
                    + (state.equals("LISTEN") ? "" : " " + s.get("remote").get("address").asString() + ":" + s.get("remote").get("port").asInt());
            TreeSet<String> owners = new TreeSet<>();
            for (JsonNode p : s.get("processes")) {
                owners.add(p.get("pid").asLong() + ":" + p.get("name").asString());
            }
            m.put(key, owners);
        }
        return m;
    }
}
