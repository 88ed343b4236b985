package dev.netwarden.linux.sockdiag;

import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SockDiag against the live kernel, in a namespace of its own: socket_holder.py opens known sockets
 * there, and {@link SockDiagProbe} runs SockDiag in a child JVM started with {@code ip netns exec}
 * (a JVM cannot move itself into another network namespace safely). Needs root; skipped otherwise.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SockDiagLiveTest {
    private static TestNamespace ns;
    private static Map<String, String> holder;
    private static String unixPath;
    private static String abstractName;
    private static List<String[]> rows;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(TestNamespace.isRoot(), "needs root and iproute2: creates a network namespace");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) || System.getenv("PATH").contains("python"),
                "needs python3 for the socket holder");
        long pid = ProcessHandle.current().pid();
        unixPath = "/tmp/nw-test-sd-" + pid + ".sock";
        abstractName = "nw-test-sd-abstract-" + pid;
        ns = TestNamespace.create("sd");
        try {
            holder = SocketHolderScript.start(ns, unixPath, abstractName);
            rows = new ArrayList<>();
            for (String line : ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class, "dump")).split("\n")) {
                if (!line.isBlank()) {
                    rows.add(line.split("\t", -1));
                }
            }
        } catch (IOException | RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (ns != null) {
            ns.close();
            ns = null;
        }
        if (unixPath != null) {
            Files.deleteIfExists(Path.of(unixPath));
        }
    }

    // columns of SockDiagProbe.line
    private static final int NETID = 0, FAMILY = 1, STATE = 2, LADDR = 3, LPORT = 4, RADDR = 5, RPORT = 6,
            RECVQ = 7, SENDQ = 8, UID = 9, INODE = 10, IFINDEX = 12, PATH = 13, TCPINFO = 15, CONG = 16;

    private static String[] one(Predicate<String[]> p) {
        List<String[]> hits = rows.stream().filter(p).toList();
        assertThat(hits).as("rows matching").hasSize(1);
        return hits.getFirst();
    }

    private static Set<String> holderSocketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", holder.get("pid"), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // fd closed meanwhile
                }
            }
        }
        return inodes;
    }

    @Test
    void seesTheTcpListenerWithItsQueuesAndTheEstablishedPair() throws Exception {
        String clientPort = holder.get("client_port");
        String[] listener = one(r -> r[NETID].equals("TCP") && r[LPORT].equals("7001") && r[STATE].equals("LISTEN"));
        assertThat(listener[LADDR]).isEqualTo("127.0.0.1");
        assertThat(listener[FAMILY]).isEqualTo("2");
        assertThat(listener[RECVQ]).as("pending connection in accept queue").isEqualTo("1");
        assertThat(listener[SENDQ]).as("backlog").isEqualTo("17");
        String[] client = one(r -> r[NETID].equals("TCP") && r[LPORT].equals(clientPort));
        assertThat(client[STATE]).isEqualTo("ESTABLISHED");
        assertThat(client[RPORT]).isEqualTo("7001");
        assertThat(client[TCPINFO]).startsWith("rtt=");
        assertThat(client[CONG]).isNotEqualTo("-");
        String[] server = one(r -> r[NETID].equals("TCP") && r[LPORT].equals("7001") && r[RPORT].equals(clientPort));
        assertThat(server[RECVQ]).isEqualTo("5");
        assertThat(holderSocketInodes()).contains(listener[INODE], client[INODE], server[INODE]);
    }

    @Test
    void seesIpv6UdpAndUnixSocketsWithOwnersAndInodes() throws Exception {
        String[] v6 = one(r -> r[NETID].equals("TCP") && r[LPORT].equals("7002"));
        assertThat(v6[FAMILY]).isEqualTo("10");
        assertThat(v6[LADDR]).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(v6[STATE]).isEqualTo("LISTEN");
        String[] udp = one(r -> r[NETID].equals("UDP") && r[LPORT].equals("7003"));
        assertThat(udp[STATE]).isEqualTo("CLOSE");
        assertThat(udp[UID]).isEqualTo("0");
        String[] nobody = one(r -> r[NETID].equals("UDP") && r[LPORT].equals("7004"));
        assertThat(nobody[UID]).isEqualTo("65534");
        String[] byPath = one(r -> r[PATH].equals(unixPath));
        assertThat(byPath[NETID]).isEqualTo("UNIX_STREAM");
        assertThat(byPath[STATE]).isEqualTo("LISTEN");
        assertThat(byPath[SENDQ]).isEqualTo("3");
        String[] abs = one(r -> r[PATH].equals("@" + abstractName));
        assertThat(abs[STATE]).isEqualTo("LISTEN");
        assertThat(holderSocketInodes()).contains(v6[INODE], udp[INODE], nobody[INODE], byPath[INODE], abs[INODE]);
    }

    @Test
    void lookupFindsTheEstablishedSocketByItsFiveTupleAndNothingForAnUnknownOne() throws Exception {
        String clientPort = holder.get("client_port");
        String[] client = one(r -> r[NETID].equals("TCP") && r[LPORT].equals(clientPort));
        String found = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookup", "tcp", "127.0.0.1", clientPort, "127.0.0.1", "7001")).strip();
        assertThat(found).startsWith("found\t");
        String[] row = found.substring(6).split("\t", -1);
        assertThat(row[INODE]).isEqualTo(client[INODE]);
        assertThat(row[STATE]).isEqualTo("ESTABLISHED");

        String missing = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookup", "tcp", "127.0.0.1", "1", "127.0.0.1", "2")).strip();
        assertThat(missing).isEqualTo("empty");
    }

    /**
     * A link-local connection (fe80::1 on lo, in the test namespace) is bound to its interface; the
     * kernel's exact lookup only matches it when idiag_if names that interface.
     */
    @Test
    void lookupFindsLinkLocalSocketsOnlyOnTheirInterface() throws Exception {
        ns.exec(10, "ip", "addr", "add", "fe80::1/64", "dev", "lo", "nodad");
        String ifindex = ns.exec(10, "cat", "/sys/class/net/lo/ifindex").strip();
        Process linkLocal = ns.start("python3", "-c", LINK_LOCAL_HOLDER);
        String ready = new BufferedReader(new InputStreamReader(linkLocal.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(ready).as("link-local holder's ports (null: it failed, see stderr)").isNotNull();
        String[] ports = ready.split(" ");
        String listenPort = ports[0], clientPort = ports[1], udpPort = ports[2];
        String client = dumpRow(r -> r[NETID].equals("TCP") && r[LPORT].equals(clientPort));
        String[] clientRow = client.split("\t", -1);
        assertThat(clientRow[IFINDEX]).isEqualTo(ifindex);

        String found = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookupif", "tcp", "fe80::1", clientPort, "fe80::1", listenPort, ifindex)).strip();
        assertThat(found).startsWith("found\t");
        assertThat(found.substring(6).split("\t", -1)[INODE]).isEqualTo(clientRow[INODE]);

        String byScope = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookup", "tcp", "fe80::1%" + ifindex, clientPort, "fe80::1", listenPort)).strip();
        assertThat(byScope).as("3-argument form takes the index from the scope id").startsWith("found\t");
        assertThat(byScope.substring(6).split("\t", -1)[INODE]).isEqualTo(clientRow[INODE]);

        String udp = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookupif", "udp", "fe80::1", udpPort, "fe80::1", "5555", ifindex)).strip();
        assertThat(udp).startsWith("found\t");

        String unscoped = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookupif", "tcp", "fe80::1", clientPort, "fe80::1", listenPort, "0")).strip();
        assertThat(unscoped).as("index 0 matches only unbound sockets").isEqualTo("empty");
    }

    /** Opens a link-local TCP pair and UDP socket on lo, prints "LISTEN_PORT CLIENT_PORT UDP_PORT", waits. */
    private static final String LINK_LOCAL_HOLDER = """
            import signal, socket, sys
            signal.alarm(60)
            def addr(port, kind):
                return socket.getaddrinfo('fe80::1%lo', port, socket.AF_INET6, kind)[0][4]
            l = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            l.bind(addr(0, socket.SOCK_STREAM)); l.listen(1)
            c = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            c.connect(addr(l.getsockname()[1], socket.SOCK_STREAM))
            s, _ = l.accept()
            u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            u.bind(addr(0, socket.SOCK_DGRAM))
            print(l.getsockname()[1], c.getsockname()[1], u.getsockname()[1], flush=True)
            sys.stdin.read()
            """;

    /** The one row of a fresh dump (in the namespace) that matches, as its line. */
    private static String dumpRow(Predicate<String[]> p) throws Exception {
        List<String> hits = new ArrayList<>();
        for (String line : ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class, "dump")).split("\n")) {
            if (!line.isBlank() && p.test(line.split("\t", -1))) {
                hits.add(line);
            }
        }
        assertThat(hits).as("rows matching").hasSize(1);
        return hits.getFirst();
    }

    @Test
    void udpLookupFindsTheBoundSocketForAPacketFromAnyPeer() throws Exception {
        String[] udp = one(r -> r[NETID].equals("UDP") && r[LPORT].equals("7003"));
        String found = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookup", "udp", "127.0.0.1", "7003", "127.0.0.1", "5555")).strip();
        assertThat(found).startsWith("found\t");
        assertThat(found.substring(6).split("\t", -1)[INODE]).isEqualTo(udp[INODE]);
    }
}
