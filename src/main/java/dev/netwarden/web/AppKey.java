package dev.netwarden.web;

import dev.netwarden.flow.Attribution;
import dev.netwarden.process.ProcessInfo;

/**
 * How the live views group connections into "apps": by executable path when known, else by process
 * name, else all unattributed connections together. The display name is the executable's file name.
 */
final class AppKey {
    static final String UNKNOWN = "(unknown)";
    static final String OTHER = "other";

    private AppKey() {
    }

    static String of(Attribution a) {
        if (a.process() == null) {
            return UNKNOWN;
        }
        ProcessInfo p = a.process().info();
        if (p.exe() != null && !p.exe().isEmpty()) {
            return p.exe();
        }
        return p.comm() != null && !p.comm().isEmpty() ? "comm:" + p.comm() : UNKNOWN;
    }

    /** The short name of a key: the file name of an executable, the process name, or the key itself. */
    static String name(String key) {
        if (key.startsWith("comm:")) {
            return key.substring(5);
        }
        if (key.startsWith("/")) {
            return key.substring(key.lastIndexOf('/') + 1);
        }
        return key;
    }

    /** The executable path of a key, or null when it is not one. */
    static String exe(String key) {
        return key.startsWith("/") ? key : null;
    }
}
