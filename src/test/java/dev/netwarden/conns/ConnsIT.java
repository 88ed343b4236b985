package dev.netwarden.conns;

import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code netwarden conns} end to end: the real launcher and jar, run inside a network namespace this
 * test creates, against real sockets held by python3 processes whose pids the test knows, and
 * compared with {@code ss} on the same namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnsIT {
    private static final Path HOME = Path.of(System.getProperty("netwarden.home", ".")).toAbsolutePath();
    private static final Path LAUNCHER = HOME.resolve("bin/netwarden");
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestNamespace ns;
    private Path script;
    private long serverPid;
    private long clientPid;
    private long nobodyPid;
    private String pythonExe;

    @BeforeAll
    void startPeers() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root: creates a network namespace and runs processes in it");
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " (Debian package python3)");
        pythonExe = Path.of(PYTHON).toRealPath().toString();
        script = Files.createTempFile("conns_peers", ".py");
        try (var in = ConnsIT.class.getResourceAsStream("conns_peers.py")) {
            Files.write(script, in.readAllBytes());
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        ns = TestNamespace.create("conns");
        Process server = ns.start(PYTHON, script.toString(), "server");
        BufferedReader serverOut = reader(server);
        awaitLine(serverOut, "ready");
        Process client = ns.start(PYTHON, script.toString(), "client");
        awaitLine(reader(client), "ready");
        awaitLine(serverOut, "accepted");
        Process nobody = ns.start("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", PYTHON, script.toString(), "listen", "7105");
        awaitLine(reader(nobody), "ready");
        serverPid = server.pid();
        clientPid = client.pid();
        nobodyPid = nobody.pid();
    }

    @AfterAll
    void stopPeers() throws IOException {
        if (ns != null) {
            ns.close();
        }
        if (script != null) {
            Files.deleteIfExists(script);
        }
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void awaitLine(BufferedReader r, String expected) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(line).as("peer process output").isEqualTo(expected);
    }

    /** Runs the launcher in the namespace; returns exit code, stdout and stderr. */
    private Result netwarden(List<String> prefix, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(ns.inside(prefix));
        cmd.addAll(List.of("env", "NETWARDEN_NO_BUILD=1", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path err = Files.createTempFile("conns-it", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("netwarden finished").isTrue();
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), stderr);
    }

    private Result netwarden(String... args) throws Exception {
        return netwarden(List.of(), args);
    }

    private record Result(int exit, String out, String err) {
    }

    private JsonNode connsJson(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("conns", "--json"));
        all.addAll(List.of(args));
        Result r = netwarden(all.toArray(String[]::new));
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("schema").asString()).isEqualTo("netwarden.conns/1");
        return doc;
    }

    private static List<JsonNode> sockets(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        doc.get("sockets").forEach(out::add);
        return out;
    }

    private static JsonNode only(List<JsonNode> sockets, String netid, String state, int localPort, int remotePort) {
        List<JsonNode> hits = sockets.stream()
                .filter(s -> s.get("netid").asString().equals(netid) && s.get("state").asString().equals(state)
                        && s.get("local").get("port").asInt() == localPort
                        && (remotePort < 0 || s.get("remote").get("port").asInt() == remotePort))
                .toList();
        assertThat(hits).as("%s %s local port %d remote port %d in %s", netid, state, localPort, remotePort, sockets).hasSize(1);
        return hits.getFirst();
    }

    private void assertHeldBy(JsonNode socket, long pid, String user, int uid) {
        JsonNode procs = socket.get("processes");
        assertThat(procs).as("holders of %s", socket).hasSize(1);
        JsonNode p = procs.get(0);
        assertThat(p.get("pid").asLong()).isEqualTo(pid);
        assertThat(p.get("exe").asString()).isEqualTo(pythonExe);
        assertThat(p.get("exe_deleted").asBoolean()).isFalse();
        assertThat(p.get("name").asString()).isEqualTo("python3");
        assertThat(p.get("user").asString()).isEqualTo(user);
        assertThat(p.get("uid").asInt()).isEqualTo(uid);
        assertThat(p.get("fd").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(p.get("cmdline").get(0).asString()).isEqualTo(PYTHON);
    }

    @Test
    void reportsEverySocketWithItsProcessStateAndQueues() throws Exception {
        List<JsonNode> all = sockets(connsJson("-a"));

        JsonNode listen4 = only(all, "tcp", "listening", 7101, 0);
        assertThat(listen4.get("family").asString()).isEqualTo("inet");
        assertThat(listen4.get("local").get("address").asString()).isEqualTo("127.0.0.1");
        assertThat(listen4.get("send_q").asInt()).as("backlog").isEqualTo(7);
        assertThat(listen4.get("recv_q").asInt()).as("accept queue").isZero();
        assertHeldBy(listen4, serverPid, "root", 0);

        JsonNode accepted = only(all, "tcp", "established", 7101, -1);
        assertThat(accepted.get("recv_q").asInt()).as("unread bytes").isEqualTo(300);
        assertHeldBy(accepted, serverPid, "root", 0);
        int clientPort = accepted.get("remote").get("port").asInt();

        JsonNode outgoing = only(all, "tcp", "established", clientPort, 7101);
        assertThat(outgoing.get("send_q").asInt()).as("all 300 bytes acknowledged").isZero();
        assertHeldBy(outgoing, clientPid, "root", 0);

        JsonNode listen6 = only(all, "tcp", "listening", 7102, 0);
        assertThat(listen6.get("family").asString()).isEqualTo("inet6");
        assertThat(listen6.get("local").get("address").asString()).isEqualTo("::1");
        assertHeldBy(listen6, serverPid, "root", 0);
        JsonNode out6 = sockets(connsJson("-a", "-6", "dport", "=", ":7102")).getFirst();
        assertThat(out6.get("family").asString()).isEqualTo("inet6");
        assertHeldBy(out6, clientPid, "root", 0);

        JsonNode udp4 = only(all, "udp", "closed", 7103, 0);
        assertHeldBy(udp4, serverPid, "root", 0);
        JsonNode udp6 = only(all, "udp", "closed", 7104, 0);
        assertThat(udp6.get("family").asString()).isEqualTo("inet6");
        assertHeldBy(udp6, serverPid, "root", 0);
        List<JsonNode> udpClients = all.stream()
                .filter(s -> s.get("netid").asString().equals("udp") && s.get("remote").get("port").asInt() == 7103).toList();
        assertThat(udpClients).hasSize(1);
        JsonNode udpClient = udpClients.getFirst();
        assertThat(udpClient.get("state").asString()).isEqualTo("established");
        assertHeldBy(udpClient, clientPid, "root", 0);

        List<JsonNode> raw = sockets(connsJson("-w", "-a"));
        JsonNode icmp = only(raw, "raw", "closed", 1, 0);
        assertHeldBy(icmp, serverPid, "root", 0);
        assertThat(icmp.get("local").get("service").asString()).as("RAW: the protocol's name").isEqualTo("icmp");
        JsonNode icmp6 = only(raw, "raw", "closed", 58, 0);
        assertThat(icmp6.get("local").get("service").asString()).isEqualTo("ipv6-icmp");
        // false from raw_diag; null where RAW comes from /proc/net/raw6 (kernels without CONFIG_INET_RAW_DIAG)
        assertThat(icmp6.get("v6only").toString()).as("a RAW socket is dual-stack unless told").isIn("false", "null");

        JsonNode dual = only(all, "tcp", "listening", 7111, 0);
        assertThat(dual.get("local").get("address").asString()).isEqualTo("::");
        assertThat(dual.get("v6only").isBoolean()).isTrue();
        assertThat(dual.get("v6only").asBoolean()).isFalse();
        assertThat(only(all, "tcp", "listening", 7112, 0).get("v6only").asBoolean()).isTrue();
        assertThat(only(all, "udp", "closed", 7113, 0).get("v6only").toString()).isEqualTo("false");
        assertThat(listen6.get("v6only").asBoolean()).as("binding ::1 sets IPV6_V6ONLY").isTrue();
        assertThat(listen4.get("v6only").isNull()).as("IPv4").isTrue();
        assertThat(out6.get("v6only").isNull()).as("established: the kernel does not say").isTrue();

        JsonNode nobody = only(all, "tcp", "listening", 7105, 0);
        assertThat(nobody.get("uid").asInt()).isEqualTo(65534);
        assertHeldBy(nobody, nobodyPid, "nobody", 65534);

        // Only this namespace's sockets: nothing outside the ports the peers opened.
        assertThat(all).filteredOn(s -> !s.get("netid").asString().equals("raw"))
                .allSatisfy(s -> assertThat(Set.of(7101, 7102, 7103, 7104, 7105, 7111, 7112, 7113))
                .containsAnyOf(s.get("local").get("port").asInt(), s.get("remote").get("port").asInt()));
    }

    @Test
    void defaultListsConnectedSocketsOnlyAndFiltersWork() throws Exception {
        assertThat(sockets(connsJson())).allSatisfy(s -> assertThat(s.get("state").asString()).isEqualTo("established"));
        assertThat(sockets(connsJson("-l"))).extracting(s -> s.get("local").get("port").asInt())
                .containsExactlyInAnyOrder(1, 58, 7101, 7102, 7103, 7104, 7105, 7111, 7112, 7113);
        assertThat(sockets(connsJson("-tl", "-4"))).extracting(s -> s.get("local").get("port").asInt())
                .containsExactlyInAnyOrder(7101, 7105);
        assertThat(sockets(connsJson("-u", "-a"))).allSatisfy(s -> assertThat(s.get("netid").asString()).isEqualTo("udp"));
        assertThat(sockets(connsJson("state", "established", "sport", "=", ":7101")))
                .singleElement().satisfies(s -> assertThat(s.get("recv_q").asInt()).isEqualTo(300));
        assertThat(sockets(connsJson("-a", "--pid", Long.toString(clientPid))))
                .allSatisfy(s -> assertThat(s.get("processes").get(0).get("pid").asLong()).isEqualTo(clientPid))
                .hasSize(3);
        assertThat(sockets(connsJson("-a", "--user", "nobody"))).singleElement()
                .satisfies(s -> assertThat(s.get("local").get("port").asInt()).isEqualTo(7105));
        assertThat(sockets(connsJson("-a", "--process", "python3"))).hasSize(sockets(connsJson("-a")).size());
        assertThat(sockets(connsJson("-a", "--process", "no-such-program"))).isEmpty();
    }

    @Test
    void theBpfIteratorAndTheProcScanNameTheSameHolders() throws Exception {
        // As root (CI), the default run reads socket fds through the BPF iterator; NETWARDEN_NO_BPF=1
        // forces the /proc scan. Both must give every socket of the namespace the same holders.
        Result viaBpf = netwarden("conns", "-a", "--json", "-t");
        Result viaProc = netwarden(List.of("env", "NETWARDEN_NO_BPF=1"), "conns", "-a", "--json", "-t");
        assertThat(viaBpf.exit()).as(viaBpf.err()).isZero();
        assertThat(viaProc.exit()).as(viaProc.err()).isZero();
        assertThat(holdersByInode(JSON.readTree(viaBpf.out()))).isNotEmpty()
                .isEqualTo(holdersByInode(JSON.readTree(viaProc.out())));
    }

    /** inode → "pid/fd" of each holder, for the sockets that have holders. */
    private static java.util.Map<Long, List<String>> holdersByInode(JsonNode doc) {
        java.util.Map<Long, List<String>> out = new java.util.TreeMap<>();
        for (JsonNode s : sockets(doc)) {
            List<String> holders = new ArrayList<>();
            s.get("processes").forEach(p -> holders.add(p.get("pid").asLong() + "/" + p.get("fd").asInt()));
            if (!holders.isEmpty()) {
                out.put(s.get("inode").asLong(), holders);
            }
        }
        return out;
    }

    @Test
    void tableAndCsvShowTheProcess() throws Exception {
        Result table = netwarden("conns", "-tln", "sport", "=", ":7105");
        assertThat(table.exit()).isZero();
        String[] lines = table.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).contains("State", "Local Address:Port", "Process", "PID", "User", "Exe");
        assertThat(lines[1]).contains("LISTEN", "127.0.0.1:7105", "python3", Long.toString(nobodyPid), "nobody", pythonExe);

        Result named = netwarden("conns", "-tl", "sport", "=", ":7101");
        assertThat(named.out()).contains("127.0.0.1:7101");

        Result csv = netwarden("conns", "--csv", "-tl", "sport", "=", ":7105");
        assertThat(csv.exit()).isZero();
        assertThat(csv.out().split("\r\n")[0]).startsWith("netid,state,");
        assertThat(csv.out().split("\r\n")[1]).contains("tcp,listening", "7105", Long.toString(nobodyPid), "nobody");
    }

    @Test
    void aHostileProcessNameIsShownAsTextNotObeyedByTheTerminal() throws Exception {
        String hostile = "\u001b[2J\u001b]0;x\u0007ev";  // clear screen, set title, bell: 15 bytes, the comm limit
        Process p = ns.start(PYTHON, script.toString(), "listen", "7106", hostile);
        awaitLine(reader(p), "ready");

        Result table = netwarden("conns", "-tln", "sport", "=", ":7106");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("\\x1b[2J\\x1b]0;x\\x07ev");
        Result csv = netwarden("conns", "--csv", "-tl", "sport", "=", ":7106");
        assertThat(csv.out()).doesNotContain("\u001b").contains("\\x1b[2J");

        JsonNode json = sockets(connsJson("-tl", "sport", "=", ":7106")).getFirst();
        assertThat(json.get("processes").get(0).get("name").asString()).as("JSON keeps the exact name").isEqualTo(hostile);
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void processesComingAndGoingDuringTheScanNeverBreakTheListing() throws Exception {
        // A bounded churn: 300 short-lived processes, each opening a listener and exiting at once,
        // two at a time, stopping by itself after at most 60 s.
        String churn = "import os, socket, time\n"
                + "deadline = time.time() + 60\n"
                + "for i in range(300):\n"
                + "    if time.time() > deadline: break\n"
                + "    pid = os.fork()\n"
                + "    if pid == 0:\n"
                + "        s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); os._exit(0)\n"
                + "    if i % 2: os.waitpid(-1, 0); os.waitpid(-1, 0)\n"
                + "    time.sleep(0.01)\n"
                + "print('done', flush=True)\n";
        Process p = ns.start(PYTHON, "-c", churn);
        for (int i = 0; i < 8 && p.isAlive(); i++) {
            Result r = netwarden("conns", "-a", "--json");
            assertThat(r.exit()).as("run %d; stderr: %s", i, r.err()).isZero();
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.get("sockets").size()).isGreaterThanOrEqualTo(9);
            Result table = netwarden("conns", "-a");
            assertThat(table.exit()).as("table run %d; stderr: %s", i, table.err()).isZero();
        }
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void unixSocketsWithPathsPeersAndHolders() throws Exception {
        Path dir = Files.createTempDirectory("nw-conns-unix");
        Path sock = dir.resolve("listener.sock");
        try {
            Process p = ns.start(PYTHON, script.toString(), "unix", sock.toString());
            awaitLine(reader(p), "ready");
            List<JsonNode> unix = sockets(connsJson("-x", "-a")).stream()
                    .filter(s -> s.get("processes").size() > 0 && s.get("processes").get(0).get("pid").asLong() == p.pid())
                    .toList();
            JsonNode listener = unix.stream().filter(s -> s.get("state").asString().equals("listening")).findFirst().orElseThrow();
            assertThat(listener.get("netid").asString()).isEqualTo("u_str");
            assertThat(listener.get("family").asString()).isEqualTo("unix");
            assertThat(listener.get("path").asString()).isEqualTo(sock.toString());
            assertThat(listener.get("send_q").asInt()).as("backlog").isEqualTo(4);
            List<JsonNode> connected = unix.stream().filter(s -> s.get("netid").asString().equals("u_str")
                    && s.get("state").asString().equals("established")).toList();
            assertThat(connected).as("both ends of the accepted connection").hasSize(2);
            assertThat(connected.get(0).get("peer_inode").asLong()).isEqualTo(connected.get(1).get("inode").asLong());
            assertThat(connected.get(1).get("peer_inode").asLong()).isEqualTo(connected.get(0).get("inode").asLong());
            assertThat(unix).anySatisfy(s -> {
                assertThat(s.get("netid").asString()).isEqualTo("u_dgr");
                assertThat(s.get("path").asString()).isEqualTo("@nw-test-dgram");
            });
            // The filter language works on UNIX paths too. The accepted end carries the listener's
            // path, as the kernel (and so ss) reports it; the connecting end has no name.
            assertThat(sockets(connsJson("-x", "-a", "src", sock.toString())))
                    .extracting(s -> s.get("state").asString()).containsExactlyInAnyOrder("listening", "established");
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void serviceNamesUnlessNumeric() throws Exception {
        assumeTrue(Files.readString(Path.of("/etc/services")).contains("7100/tcp"), "needs /etc/services naming port 7100");
        Process p = ns.start(PYTHON, script.toString(), "listen", "7100");
        awaitLine(reader(p), "ready");
        JsonNode named = sockets(connsJson("-tl", "sport", "=", ":7100")).getFirst();
        assertThat(named.get("local").get("service").asString()).isEqualTo("font-service");
        JsonNode numeric = sockets(connsJson("-tln", "sport", "=", ":7100")).getFirst();
        assertThat(numeric.get("local").get("service").isNull()).as("-n: no service names in JSON either").isTrue();
        assertThat(netwarden("conns", "-tl", "sport", "=", ":font-service").out()).contains("127.0.0.1:font-service");
        assertThat(netwarden("conns", "-tln", "sport", "=", ":font-service").out()).contains("127.0.0.1:7100");
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void badInputGetsAClearErrorAndExitTwo() throws Exception {
        Result badFilter = netwarden("conns", "dport", "=", ":notaport");
        assertThat(badFilter.exit()).isEqualTo(2);
        assertThat(badFilter.err()).contains("bad filter").contains("notaport");
        assertThat(badFilter.out()).isEmpty();

        Result badFlag = netwarden("conns", "--no-such-flag");
        assertThat(badFlag.exit()).isEqualTo(2);
        assertThat(badFlag.err()).contains("--no-such-flag");

        Result both = netwarden("conns", "--json", "--csv");
        assertThat(both.exit()).isEqualTo(2);
    }

    @Test
    void withoutRootListsEverySocketButOnlyOwnProcessesAndSaysWhy() throws Exception {
        List<String> asNobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        List<String> probe = new ArrayList<>(ns.inside(asNobody));
        probe.addAll(List.of("test", "-r", HOME.resolve("target/netwarden.jar").toString()));
        assumeTrue(new ProcessBuilder(probe).start().waitFor() == 0,
                "the checkout is not readable by user nobody, so netwarden cannot run as nobody here");
        Result r = netwarden(asNobody, "conns", "-a", "--json");
        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("warnings").get(0).asString()).contains("could not be inspected as uid 65534");
        List<JsonNode> all = sockets(doc);
        assertThat(all).hasSize(sockets(connsJson("-a")).size());
        assertThat(only(all, "tcp", "listening", 7101, 0).get("processes")).isEmpty();
        assertHeldBy(only(all, "tcp", "listening", 7105, 0), nobodyPid, "nobody", 65534);

        Result table = netwarden(asNobody, "conns", "-a");
        assertThat(table.exit()).isZero();
        assertThat(table.err()).contains("could not be inspected").contains("run as root");
    }

    @Test
    void sameSocketsAndOwnersAsSs() throws Exception {
        for (String proto : List.of("t", "u", "w")) {
            // ss -w reads /proc/net/raw on kernels without raw_diag and then prints no inode.
            boolean inodes = !proto.equals("w");
            Map<String, String> ss = ssSockets(ns.exec(30, "ss", "-" + proto + "anpe"), inodes);
            Map<String, String> ours = new TreeMap<>();
            for (JsonNode s : sockets(connsJson("-" + proto + "a"))) {
                Set<Long> pids = new TreeSet<>();
                s.get("processes").forEach(p -> pids.add(p.get("pid").asLong()));
                ours.put(endpoint(s.get("local"), s.get("family").asString(), s.get("v6only")) + " "
                                + endpoint(s.get("remote"), s.get("family").asString(), s.get("v6only")),
                        (inodes ? s.get("inode").asString() : "-") + " " + s.get("recv_q").asLong() + "/" + s.get("send_q").asLong() + " " + pids);
            }
            assertThat(ours).as("-%sa: netwarden vs ss", proto).isEqualTo(ss).isNotEmpty();
        }
    }

    /** ss -n's text for an endpoint: {@code ::} of a socket not reported v6-only is {@code *} there. */
    @Test
    void tableAddressColumnsAreWhatSsPrints() throws Exception {
        // Dual-stack [::] as *, v6-only [::] in brackets, RAW protocols by name, services by name; with -n
        // all numbers. Columns 5 and 6 of both tables (Netid is shown: the listing holds several kinds).
        Map<String, List<String>> expected = Map.of(
                "-tuwa", List.of("*:7111 *:*", "[::]:7112 [::]:*", "*:7113 *:*", "0.0.0.0:icmp 0.0.0.0:*", "*:ipv6-icmp *:*"),
                "-tuwan", List.of("*:7111 *:*", "[::]:7112 [::]:*", "*:7113 *:*", "0.0.0.0:1 0.0.0.0:*", "*:58 *:*"));
        for (var e : expected.entrySet()) {
            Result ours = netwarden("conns", e.getKey());
            assertThat(ours.exit()).as("stderr: %s", ours.err()).isZero();
            assertThat(addressColumns(ours.out())).as("netwarden conns %s vs ss %s", e.getKey(), e.getKey())
                    .isEqualTo(addressColumns(ns.exec(30, "ss", e.getKey())))
                    .containsAll(e.getValue());
        }
    }

    /** "local peer" of every row of an ss-like table, sorted: the rows' order differs between the two. */
    private static List<String> addressColumns(String table) {
        List<String> rows = new ArrayList<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && !f[0].equals("Netid")) {
                rows.add(f[4] + " " + f[5]);
            }
        }
        rows.sort(null);
        return rows;
    }

    private static String endpoint(JsonNode e, String family, JsonNode v6only) {
        String addr = e.get("address").asString();
        int port = e.get("port").asInt();
        boolean dualStackWildcard = family.equals("inet6") && addr.equals("::") && !v6only.asBoolean(false);
        String a = dualStackWildcard ? "*" : family.equals("inet6") ? "[" + addr + "]" : addr;
        return a + ":" + (port == 0 ? "*" : Integer.toString(port));
    }

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");
    private static final Pattern INODE = Pattern.compile("ino:(\\d+)");

    /** "local peer" → "inode recvq/sendq [pids]" from ss -Xanpe output (for comparison only). */
    private static Map<String, String> ssSockets(String out, boolean inodes) {
        Map<String, String> map = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || f[0].equals("State")) {
                continue;
            }
            Set<Long> pids = new TreeSet<>();
            Matcher m = PID.matcher(line);
            while (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
            Matcher ino = INODE.matcher(line);
            String inode = !inodes ? "-" : ino.find() ? ino.group(1) : "0";
            map.put(f[3] + " " + f[4], inode + " " + f[1] + "/" + f[2] + " " + pids);
        }
        return new TreeMap<>(map);
    }
}
