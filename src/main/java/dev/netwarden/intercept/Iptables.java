package dev.netwarden.intercept;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One of the {@code iptables} / {@code ip6tables} commands, run as a child process in the current
 * network namespace with a timeout. Why the commands and not netlink: they keep netwarden's rules
 * in the same table format every other tool on the machine (firewalld, docker, an admin's
 * iptables-save) already reads, under both iptables-nft and iptables-legacy.
 *
 * @param family   "ipv4" or "ipv6", for messages
 * @param command  the binary, e.g. {@code iptables}
 * @param save     the matching save binary, e.g. {@code iptables-save}
 * @param prefix   words put before every command, e.g. {@code ip netns exec NAME} (empty for the daemon)
 */
record Iptables(String family, String command, String save, long timeoutMillis, List<String> prefix) {
    /** Seconds iptables waits for the xtables lock held by another caller before failing. */
    private static final String LOCK_WAIT_SECONDS = "5";

    Iptables {
        Objects.requireNonNull(family, "family is null");
        Objects.requireNonNull(command, "command is null");
        Objects.requireNonNull(save, "save is null");
        prefix = List.copyOf(Objects.requireNonNull(prefix, "prefix is null"));
    }

    static Iptables ipv4(long timeoutMillis, List<String> prefix) {
        return new Iptables("ipv4", "iptables", "iptables-save", timeoutMillis, prefix);
    }

    static Iptables ipv6(long timeoutMillis, List<String> prefix) {
        return new Iptables("ipv6", "ip6tables", "ip6tables-save", timeoutMillis, prefix);
    }

    /** The outcome of one command. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command -w 5 args...}; returns its result whatever the exit code. */
    Result run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(command, "-w", LOCK_WAIT_SECONDS));
        cmd.addAll(args);
        return exec(cmd);
    }

    /** Runs and fails with the command line and its stderr on a non-zero exit. */
    Result runOrThrow(List<String> args) throws IOException {
        Result r = run(args);
        if (!r.ok()) {
            throw new IOException(command + " " + String.join(" ", args) + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
        return r;
    }

    /** {@code iptables-save -t table}: empty when the table does not exist. */
    String saveTable(String table) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(save, "-t", table));
        Result r = exec(cmd);
        if (!r.ok()) {
            throw new IOException(save + " -t " + table + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
        return r.stdout();
    }

    private Result exec(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + String.join(" ", cmd) + " (is the iptables package installed?): " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within " + timeoutMillis + " ms");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
