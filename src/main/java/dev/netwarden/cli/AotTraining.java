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
        } finally {
            System.setOut(out);
        }
        return worst;
    }
}
