package dev.netwarden.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace that a test creates and always deletes, with the processes it starts inside.
 *
 * <p>Why: tests that open sockets or touch netfilter must never do it in the machine's root
 * namespace. Every namespace is named {@code nw-test-<jvm pid>-<n>} so a leftover is traceable to
 * the run that made it; {@link #close()} stops only the processes this object started (by pid) and
 * deletes only the namespace it added.
 */
public final class TestNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final List<Process> started = new ArrayList<>();

    private TestNamespace(String name) {
        this.name = name;
    }

    /** True when this JVM runs as root, which namespace tests need. */
    public static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Uid:")).findFirst()
                    .map(l -> l.split("\\s+")[2].equals("0")).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the namespace with loopback up. */
    public static TestNamespace create(String purpose) throws IOException, InterruptedException {
        String name = "nw-test-" + ProcessHandle.current().pid() + "-" + purpose + "-" + COUNTER.incrementAndGet();
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        run(List.of("ip", "netns", "add", name), 10);
        TestNamespace ns = new TestNamespace(name);
        try {
            ns.exec(10, "ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The command prefixed so that it runs inside this namespace. */
    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** Runs a command inside the namespace to completion and returns its stdout; fails on a non-zero exit. */
    public String exec(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        return exec(timeoutSeconds, List.of(command));
    }

    /** Runs a command inside the namespace to completion and returns its stdout; fails on a non-zero exit. */
    public String exec(int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        return run(inside(command), timeoutSeconds);
    }

    /** A JVM command line that runs {@code mainClass} with this JVM's class path (for code that must run in the namespace). */
    public static List<String> javaCommand(Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts a long-running command inside the namespace. It is stopped by {@link #close()}. The
     * returned process is {@code ip netns exec}, which execs the command, so its pid is the command's.
     */
    public Process start(String... command) throws IOException {
        return start(List.of(command));
    }

    /** As {@link #start(String...)}. */
    public Process start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(inside(command));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Runs a command (outside any namespace) and returns stdout; a non-zero exit is an IOException with stderr. */
    public static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Path err = Files.createTempFile("nw-test", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + " from " + command + ": " + Files.readString(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(err);
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run(List.of("ip", "netns", "del", name), 10);
        } catch (IOException e) {
            System.err.println("warning: could not delete namespace " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
