package dev.netwarden.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/** Small helpers for tests that start real programs and look at them through /proc. */
public final class TestProcesses {
    private TestProcesses() {
    }

    /** sha256 of a file, computed the plain way, to compare against what the code under test says. */
    public static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits (at most 5 s) until {@code p} runs {@code exe}: ProcessBuilder may return while the
     * child still runs the JDK's spawn helper.
     */
    public static void awaitExe(Process p, Path exe) throws IOException, InterruptedException {
        Path link = Path.of("/proc", Long.toString(p.pid()), "exe");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                if (Files.readSymbolicLink(link).toString().startsWith(exe.toString())) {
                    return;
                }
            } catch (IOException e) {
                // not there yet, or exited: retry until the deadline
            }
            Thread.sleep(2);
        }
        throw new IOException("process " + p.pid() + " did not exec " + exe + " within 5 s");
    }

    /** Stops a process this test started, by its pid. */
    public static void stop(Process p) throws InterruptedException {
        if (p != null && p.isAlive()) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
