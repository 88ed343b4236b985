package dev.netwarden.linux.sockdiag;

import dev.netwarden.testing.TestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
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
            RECVQ = 7, SENDQ = 8, UID = 9, INODE = 10, PATH = 13, TCPINFO = 15, CONG = 16;

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

    @Test
    void udpLookupFindsTheBoundSocketForAPacketFromAnyPeer() throws Exception {
        String[] udp = one(r -> r[NETID].equals("UDP") && r[LPORT].equals("7003"));
        String found = ns.exec(60, TestNamespace.javaCommand(SockDiagProbe.class,
                "lookup", "udp", "127.0.0.1", "7003", "127.0.0.1", "5555")).strip();
        assertThat(found).startsWith("found\t");
        assertThat(found.substring(6).split("\t", -1)[INODE]).isEqualTo(udp[INODE]);
    }
}
