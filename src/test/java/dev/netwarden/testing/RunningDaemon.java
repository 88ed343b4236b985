package dev.netwarden.testing;

import dev.netwarden.daemon.control.ControlClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real {@code netwarden daemon}, started through the launcher ({@code bin/netwarden}, the jar the
 * build made) inside a test namespace, and the user-facing ways to look at it: the control socket's
 * {@code status} and {@code netwarden history --json}.
 *
 * <p>Why a class: several end-to-end tests start, kill and restart daemons; each must be stopped even
 * when the test fails, and only by its own pid. The launcher execs the JVM (and {@code ip netns exec}
 * execs the launcher), so the started process's pid is the daemon's.
 */
public final class RunningDaemon implements AutoCloseable {
    /** The checkout whose launcher and jar are tested (failsafe sets {@code netwarden.home}). */
    public static final Path HOME = Path.of(System.getProperty("netwarden.home", ".")).toAbsolutePath();
    public static final Path LAUNCHER = HOME.resolve("bin/netwarden");
    private static final JsonMapper JSON = JsonMapper.shared();

    private final Process process;
    private final Path dataDir;
    private final Path log;

    private RunningDaemon(Process process, Path dataDir, Path log) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * Starts {@code netwarden daemon --data-dir DATA_DIR ARGS} in {@code ns}, its stdout and stderr
     * appended to {@code log}, and waits (at most 60 s) until its control socket answers {@code status}.
     */
    public static RunningDaemon start(TestNamespace ns, Path dataDir, Path log, String... args)
            throws IOException, InterruptedException {
        Objects.requireNonNull(ns, "ns is null");
        List<String> cmd = new ArrayList<>(List.of("env", "NETWARDEN_NO_BUILD=1", LAUNCHER.toString(),
                "daemon", "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(ns.inside(cmd));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        RunningDaemon d = new RunningDaemon(pb.start(), dataDir, log);
        try {
            d.awaitReady();
        } catch (IOException | RuntimeException | Error e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void awaitReady() throws IOException, InterruptedException {
        Path socket = controlSocket();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited " + process.exitValue() + ": " + log());
            }
            if (Files.exists(socket)) {
                try {
                    JsonNode s = status();
                    if (s.get("ok").asBoolean() && s.get("pid").asLong() == process.pid()) {
                        return;
                    }
                } catch (IOException e) {
                    // a stale socket of a killed daemon, or not listening yet: retry
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("daemon's control socket did not answer within 60 s: " + log());
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path controlSocket() {
        return dataDir.resolve("control.sock");
    }

    /** The daemon's log so far (stdout and stderr). */
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** {@code {"op":"status"}} over the control socket. */
    public JsonNode status() throws IOException {
        try (ControlClient c = ControlClient.connect(controlSocket(), Duration.ofSeconds(2))) {
            return c.call("status", Duration.ofSeconds(5));
        }
    }

    /** A counter of {@code status}: {@code path} is the field names below {@code services}, e.g. "monitor", "flows", "opened". */
    public long counter(String... path) throws IOException {
        JsonNode n = status().get("services");
        for (String p : path) {
            n = n.get(p);
            if (n == null) {
                throw new AssertionError("no " + String.join(".", path) + " in status");
            }
        }
        return n.asLong();
    }

    /** Resident set size in KiB, from /proc/PID/status. */
    public long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmRSS for pid " + pid());
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill9() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-KILL", Long.toString(pid())).start().waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon " + pid() + " still alive 10 s after SIGKILL");
        }
    }

    /** SIGTERM and the exit code (the daemon flushes and exits 0). */
    public int stop() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(pid())).start().waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon " + pid() + " did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** {@code netwarden history --data-dir DIR --json ARGS} (with {@code --since 1h --limit 100000} unless given); fails on a non-zero exit. */
    public JsonNode history(String... args) throws IOException, InterruptedException {
        return history(dataDir, args);
    }

    /** As {@link #history(String...)} for any data dir, with or without a daemon. */
    public static JsonNode history(Path dataDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("env", "NETWARDEN_NO_BUILD=1", LAUNCHER.toString(),
                "history", "--data-dir", dataDir.toString(), "--json"));
        List<String> given = List.of(args);
        if (!given.contains("--since")) {
            cmd.addAll(List.of("--since", "1h"));
        }
        if (!given.contains("--limit")) {
            cmd.addAll(List.of("--limit", "100000"));
        }
        cmd.addAll(given);
        String out = TestNamespace.run(cmd, 60);
        JsonNode doc = JSON.readTree(out);
        if (!"netwarden.history/1".equals(doc.get("schema").asString())) {
            throw new AssertionError("unexpected history schema: " + out);
        }
        return doc;
    }

    /**
     * Runs {@code netwarden ARGS} through the launcher, as a user runs it (without a rebuild), in this
     * JVM's namespace; its stdout. A non-zero exit is an IOException with stderr.
     */
    public static String cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("env", "NETWARDEN_NO_BUILD=1", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        return TestNamespace.run(cmd, 60);
    }

    /** The rows of a history document. */
    public static List<JsonNode> rows(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        doc.get("rows").forEach(out::add);
        return out;
    }

    /**
     * Polls {@code history ARGS} (at most {@code timeout}) until {@code done} holds for its rows; returns
     * the last rows either way, so the caller's assertions say what was there.
     */
    public List<JsonNode> awaitRows(Duration timeout, Predicate<List<JsonNode>> done, String... args)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> rows = rows(history(args));
        while (!done.test(rows) && System.nanoTime() < deadline) {
            Thread.sleep(300);
            rows = rows(history(args));
        }
        return rows;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                new ProcessBuilder("kill", "-TERM", Long.toString(pid())).start().waitFor(10, TimeUnit.SECONDS);
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
