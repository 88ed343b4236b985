package dev.netwarden.daemon;

import dev.netwarden.conns.format.TerminalText;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link StatusOp} reply as text for a terminal: who is running (pid, version, level, uptime,
 * data dir, network namespace), then each part's counters, nested ones as dotted names, aligned.
 * Every string from the reply goes through {@link TerminalText}: a reason or path can hold anything.
 * Pure: JSON in, lines out.
 */
public final class StatusText {
    private StatusText() {
    }

    public static List<String> lines(JsonNode status) {
        List<String> out = new ArrayList<>();
        out.add("netwarden daemon " + text(status.path("version")) + ", pid " + status.path("pid").asLong()
                + ", " + text(status.path("level")) + " level, up " + duration(status.path("uptime_ms").asLong()));
        out.add("  data dir:  " + text(status.path("data_dir")));
        out.add("  net ns:    " + text(status.path("net_ns")));
        for (Map.Entry<String, JsonNode> service : status.path("services").properties()) {
            out.add("");
            out.add(TerminalText.sanitize(service.getKey()));
            List<String[]> rows = new ArrayList<>();
            flatten("", service.getValue(), rows);
            int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
            for (String[] r : rows) {
                out.add("  " + r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
            }
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, List<String[]> rows) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = prefix + TerminalText.sanitize(e.getKey());
            if (e.getValue().isObject()) {
                flatten(name + ".", e.getValue(), rows);
            } else {
                rows.add(new String[] {name, e.getValue().isNull() ? "-" : text(e.getValue())});
            }
        }
    }

    private static String text(JsonNode v) {
        return TerminalText.sanitize(v.isString() ? v.asString() : v.toString());
    }

    /** 0s, 59s, 1m05s, 3h02m, 2d04h. */
    static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86400, s % 86400 / 3600);
    }
}
