package dev.netwarden.top;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.process.ProcessInfo;

/** How processes and users are named on screen, always through {@link TerminalText}. */
final class Names {
    static final String UNKNOWN = "(unknown)";

    private Names() {
    }

    /** comm, else the executable's name, escaped; {@link #UNKNOWN} without a process. */
    static String process(ProcessInfo p) {
        return p == null ? UNKNOWN : TerminalText.sanitize(p.displayName());
    }

    /** The user name, else the uid, else "?". */
    static String user(ProcessInfo p) {
        if (p == null) {
            return "";
        }
        if (p.user() != null) {
            return TerminalText.sanitize(p.user());
        }
        return p.uid() >= 0 ? Integer.toString(p.uid()) : "?";
    }
}
