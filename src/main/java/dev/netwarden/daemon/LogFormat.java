package dev.netwarden.daemon;

import dev.netwarden.conns.format.TerminalText;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per record on stderr: {@code 2026-11-27 22:30:47.123 INFO  control: message}. The component
 * is the logger name after {@code netwarden.}. Messages carry attacker-chosen text (process names,
 * host names, request bytes), so the whole line is passed through {@link TerminalText}: no escape
 * sequence and no newline from outside reaches the admin's terminal or splits a journal entry.
 * Stack traces only at debug and below.
 */
public final class LogFormat extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final boolean traces;

    public LogFormat(boolean traces) {
        this.traces = traces;
    }

    /** Routes every logger (netwarden's, dnsjava's through slf4j) to stderr in this format at {@code level}. */
    public static void install(Level level) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler(); // System.err
        handler.setFormatter(new LogFormat(level.intValue() <= Level.FINE.intValue()));
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(128);
        b.append(TIME.format(r.getInstant())).append(' ');
        String level = label(r.getLevel());
        b.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        String name = r.getLoggerName() == null ? "-" : r.getLoggerName();
        if (name.startsWith("netwarden.")) {
            name = name.substring("netwarden.".length());
        }
        TerminalText.append(b, name);
        b.append(": ");
        TerminalText.append(b, formatMessage(r));
        Throwable t = r.getThrown();
        if (t != null && traces) {
            java.io.StringWriter w = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(w));
            for (String line : w.toString().split("\n")) {
                b.append("\n    ");
                TerminalText.append(b, line.stripTrailing());
            }
        }
        return b.append('\n').toString();
    }

    static String label(Level l) {
        int v = l.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        if (v >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }
}
