package dev.netwarden.daemon.owners;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's network and pid namespaces as the kernel names them ({@code net:[4026531840]}). A
 * daemon's socket owners only mean something to a client that sees the same pids, and {@code conns}
 * lists the sockets of its own network namespace: both must match, or the client works standalone.
 */
public record Namespaces(String net, String pid) {
    /** The calling process's namespaces ("?" when unreadable: never equal to a real one). */
    public static Namespaces current() {
        return new Namespaces(link("net"), link("pid"));
    }

    private static String link(String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns", kind)).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }
}
