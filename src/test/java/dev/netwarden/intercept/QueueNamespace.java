package dev.netwarden.intercept;

import dev.netwarden.linux.netns.NetNamespace;
import dev.netwarden.linux.nfqueue.NfQueue;
import dev.netwarden.linux.nfqueue.NfQueueConfig;
import dev.netwarden.testing.TestNamespace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support: a client namespace (where rules and queue live) and, on demand, a server namespace
 * joined to it by a veth pair (10.77.0.1/24, fd77::1/64 ↔ 10.77.0.2/24, fd77::2/64); the python echo
 * server and client scripts; the iptables command prefix for the client namespace.
 */
final class QueueNamespace implements AutoCloseable {
    static final int PORT = 7777;
    final TestNamespace client;
    TestNamespace server;
    private final Path scripts;

    QueueNamespace(String purpose) throws IOException, InterruptedException {
        client = TestNamespace.create(purpose);
        scripts = Files.createTempDirectory("nw-intercept");
        for (String name : List.of("echo_server.py", "echo_client.py")) {
            try (InputStream in = QueueNamespace.class.getResourceAsStream(name)) {
                Files.write(scripts.resolve(name), in.readAllBytes());
            }
        }
    }

    /** {@code ip netns exec CLIENT}: how InterceptRules reaches the client namespace from the test JVM. */
    List<String> prefix() {
        return List.of("ip", "netns", "exec", client.name());
    }

    /** Adds the server namespace and the veth pair; returns it. */
    TestNamespace addServer() throws IOException, InterruptedException {
        server = TestNamespace.create("srv");
        TestNamespace.run(List.of("ip", "-n", client.name(), "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", server.name()), 10);
        client.exec(10, "ip", "addr", "add", "10.77.0.1/24", "dev", "veth0");
        client.exec(10, "ip", "-6", "addr", "add", "fd77::1/64", "dev", "veth0", "nodad");
        client.exec(10, "ip", "link", "set", "veth0", "up");
        server.exec(10, "ip", "addr", "add", "10.77.0.2/24", "dev", "veth1");
        server.exec(10, "ip", "-6", "addr", "add", "fd77::2/64", "dev", "veth1", "nodad");
        server.exec(10, "ip", "link", "set", "veth1", "up");
        return server;
    }

    /** Starts the echo server in {@code ns} and waits for it to listen. */
    void startEchoServer(TestNamespace ns) throws IOException {
        Process p = ns.start("python3", scripts.resolve("echo_server.py").toString(), Integer.toString(PORT));
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        if (!"ready".equals(line)) {
            throw new IOException("echo server did not start: " + line);
        }
    }

    /** Runs the echo client in the client namespace; returns the local ports it used. Fails if any connection failed. */
    List<Integer> echo(String proto, String host, int count, int rounds, double timeoutSeconds) throws IOException, InterruptedException {
        String out = client.exec(60, "python3", scripts.resolve("echo_client.py").toString(), proto, host, Integer.toString(PORT),
                Integer.toString(count), Integer.toString(rounds), Double.toString(timeoutSeconds));
        List<Integer> ports = new ArrayList<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> ports.add(Integer.parseInt(l.strip())));
        return ports;
    }

    /** True when one TCP connection to host succeeds within timeoutSeconds. */
    boolean tcpConnects(String host, double timeoutSeconds) throws InterruptedException {
        try {
            echo("tcp", host, 1, 1, timeoutSeconds);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens a queue inside the client namespace (the socket stays there). */
    NfQueue openQueue(NfQueueConfig config) throws IOException {
        return NetNamespace.callIn(NetNamespace.named(client.name()), () -> NfQueue.open(config, 100));
    }

    /** iptables-save + ip6tables-save of the client namespace, without dates and counters. */
    String savedRules() throws IOException, InterruptedException {
        return RootFirewallSnapshot.normalize(client.exec(20, "iptables-save")) + "\n--\n"
                + RootFirewallSnapshot.normalize(client.exec(20, "ip6tables-save"));
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        client.close();
        try (var files = Files.list(scripts)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(scripts);
        } catch (IOException ignored) {
            // temp files only
        }
    }
}
