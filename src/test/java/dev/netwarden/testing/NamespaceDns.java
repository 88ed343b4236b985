package dev.netwarden.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real DNS server (dnsmasq, Debian package {@code dnsmasq-base}) inside a test namespace that answers
 * the given test names, and {@code /etc/netns/NS/resolv.conf} pointing at it so that every program run
 * with {@code ip netns exec NS} resolves through it (ip netns exec bind-mounts that file over
 * /etc/resolv.conf).
 *
 * <p>Why: the monitor learns names only from DNS answers it sees in the namespace; a test of "the
 * domain the program used" needs a program that really asked a server. {@link #close()} stops dnsmasq
 * (by pid) and deletes the /etc/netns directory it made, also after a failed test.
 */
public final class NamespaceDns implements AutoCloseable {
    public static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");

    private final Path netnsDir;
    private final Process dnsmasq;

    private NamespaceDns(Path netnsDir, Process dnsmasq) {
        this.netnsDir = netnsDir;
        this.dnsmasq = dnsmasq;
    }

    /** True when dnsmasq is installed. */
    public static boolean available() {
        return Files.isExecutable(DNSMASQ);
    }

    /**
     * Starts dnsmasq on 127.0.0.1:53 in {@code ns} answering each name with its address (IPv4 names get
     * A records, IPv6 ones AAAA), and writes the namespace's resolv.conf. Waits until it answers.
     */
    public static NamespaceDns start(TestNamespace ns, Map<String, String> names) throws IOException, InterruptedException {
        Objects.requireNonNull(ns, "ns is null");
        Path dir = Path.of("/etc/netns", ns.name());
        if (Files.exists(dir)) {
            throw new IOException(dir + " exists already: left over by another run?");
        }
        Files.createDirectories(dir);
        Process p = null;
        try {
            Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
            List<String> cmd = new ArrayList<>(List.of(DNSMASQ.toString(), "--no-daemon", "--no-resolv", "--no-hosts",
                    "--listen-address=127.0.0.1", "--bind-interfaces", "--port=53", "--user=root", "--pid-file=",
                    "--log-facility=-", "--cache-size=0"));
            names.forEach((name, address) -> cmd.add("--address=/" + name + "/" + address));
            ProcessBuilder pb = new ProcessBuilder(ns.inside(cmd));
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            p = pb.start();
            String first = names.keySet().iterator().next();
            awaitAnswer(ns, p, first);
            return new NamespaceDns(dir, p);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (p != null) {
                TestProcesses.stop(p);
            }
            deleteTree(dir);
            throw e;
        }
    }

    private static void awaitAnswer(TestNamespace ns, Process p, String name) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("dnsmasq exited " + p.exitValue());
            }
            try {
                ns.exec(5, "getent", "ahosts", name);
                return;
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("dnsmasq did not answer " + name + " within 10 s", last);
    }

    /** dnsmasq's pid. */
    public long pid() {
        return dnsmasq.pid();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            TestProcesses.stop(dnsmasq);
        } finally {
            deleteTree(netnsDir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
