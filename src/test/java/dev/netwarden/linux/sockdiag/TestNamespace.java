package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.ffm.Libc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support: a network namespace this test creates ({@code ip netns add}), with loopback up, and
 * the processes started in it. {@link #close()} kills those processes (by their own handle, i.e. pid)
 * and deletes the namespace; use it in try-with-resources so it also runs on failure.
 */
final class TestNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final String name;
    private final List<Process> started = new ArrayList<>();

    private TestNamespace(String name) {
        this.name = name;
    }

    static boolean isRoot() {
        return Libc.geteuid() == 0
                && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                    || Files.isExecutable(Path.of("/usr/bin/ip")));
    }

    static TestNamespace create(String prefix) throws IOException, InterruptedException {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        run(30, "ip", "netns", "add", name);
        TestNamespace ns = new TestNamespace(name);
        try {
            run(30, "ip", "-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** Starts {@code command} inside the namespace; it is killed at {@link #close()}. */
    Process start(List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(p);
        return p;
    }

    /** Runs {@code command} inside the namespace to completion; returns its stdout. */
    String exec(long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process p = start(command);
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + command + "\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A JVM command line running {@code mainClass} with this JVM's class path. */
    static List<String> javaCommand(Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts socket_holder.py in the namespace and waits (bounded) for its "ready" line; returns the
     * key=value lines it printed. Its stdin stays open: it lives until {@link #close()}.
     */
    Map<String, String> startSocketHolder(String unixPath, String abstractName) throws IOException {
        Path script = Files.createTempFile("nw-socket-holder", ".py");
        try (InputStream in = TestNamespace.class.getResourceAsStream("socket_holder.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = start(List.of("python3", script.toString(), unixPath, abstractName, "120"));
        Map<String, String> values = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int lines = 0; lines < 100 && System.nanoTime() < deadline; lines++) {
            String line = reader.readLine();
            if (line == null) {
                throw new IOException("socket holder exited early");
            }
            if (line.equals("ready")) {
                Files.deleteIfExists(script);
                return values;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        throw new IOException("socket holder not ready in time");
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            run(30, "ip", "netns", "del", name);
        } catch (IOException | InterruptedException e) {
            System.err.println("could not delete namespace " + name + ": " + e);
        }
    }

    private static void run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
