package dev.netwarden.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The run that bin/netwarden makes once to train the JVM's AOT cache ({@code -XX:AOTCacheOutput}):
 * the commands users run most, in one JVM, output discarded.
 *
 * <p>Why several commands: the cache keeps the classes (and profiles) the training run used, and
 * one command uses only one output format; training only {@code --json} left the table path (the
 * common interactive one) loading and verifying its classes from the jar on every run.
 */
final class AotTraining {
    /** The system property bin/netwarden sets on the training run. */
    static final String PROPERTY = "netwarden.aotTraining";

    private static final List<List<String>> COMMANDS = List.of(
            List.of("conns", "-tanp"),
            List.of("conns", "-a", "-e", "-i"),
            List.of("conns", "-a", "-n", "-p", "-e", "--json"),
            List.of("conns", "-ax", "--csv"),
            List.of("conns", "-tln", "state", "listening", "sport", "=", ":22", "or", "dport", "=", ":443"),
            List.of("--help"));

    private AotTraining() {
    }

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * {@code conns} asking a daemon: an in-JVM control server and socket index on a temporary socket,
     * so the client's path (control client, streaming decode) is in the cache too; without it those
     * classes cost ~40 ms per run.
     */
    private static int connsThroughDaemon() {
        java.util.logging.Logger.getLogger("netwarden").setLevel(java.util.logging.Level.WARNING);
        java.nio.file.Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory("netwarden-aot");
            java.nio.file.Path socket = dir.resolve("control.sock");
            dev.netwarden.daemon.control.ControlHandlers handlers = new dev.netwarden.daemon.control.ControlHandlers();
            dev.netwarden.daemon.owners.WarmSocketIndex index = new dev.netwarden.daemon.owners.WarmSocketIndex();
            dev.netwarden.daemon.DaemonRun.registerOwnerOp(handlers, index);
            try (dev.netwarden.daemon.Daemon daemon = new dev.netwarden.daemon.Daemon(List.of(index,
                    new dev.netwarden.daemon.control.ControlServer(socket, handlers, 1 << 20, java.time.Duration.ofSeconds(5))))) {
                daemon.start();
                return Main.execute(new String[] {"conns", "-tanp", "--daemon-socket", socket.toString()});
            }
        } catch (Exception e) {
            return 0; // training is best effort: the cache then just lacks these classes
        } finally {
            if (dir != null) {
                try {
                    java.nio.file.Files.deleteIfExists(dir.resolve("control.sock"));
                    java.nio.file.Files.deleteIfExists(dir);
                } catch (java.io.IOException ignored) {
                    // a temp dir left behind
                }
            }
        }
    }

    /** Runs every training command; returns the worst exit code. */
    static int run() {
        PrintStream out = System.out;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(discard);
        int worst = 0;
        try {
            for (List<String> args : COMMANDS) {
                worst = Math.max(worst, Main.execute(args.toArray(String[]::new)));
            }
            worst = Math.max(worst, connsThroughDaemon());
        } finally {
            System.setOut(out);
        }
        return worst;
    }
}
