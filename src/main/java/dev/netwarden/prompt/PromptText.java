package dev.netwarden.prompt;

import dev.netwarden.conns.format.TerminalText;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One pending question as terminal lines. Everything that comes from the program asking (its name,
 * path, command line, the domain it resolved) is escaped: a process named with escape sequences must
 * not be able to redraw the question it is the subject of.
 */
final class PromptText {
    private PromptText() {
    }

    static List<String> lines(JsonNode p) {
        List<String> out = new ArrayList<>();
        String app = text(p, "app", "?");
        long pid = p.path("pid").asLong(-1);
        String user = text(p, "user", p.path("uid").asLong(-1) >= 0 ? "uid " + p.path("uid").asLong() : "unknown user");
        out.add("[" + p.path("id").asLong() + "] " + app + (pid >= 0 ? " (pid " + pid + ", " + user + ")" : " (" + user + ")")
                + " wants to connect");
        out.add("    exe      " + text(p, "exe", "(unknown)"));
        List<String> argv = new ArrayList<>();
        p.path("cmdline").forEach(a -> argv.add(TerminalText.sanitize(a.asString())));
        if (!argv.isEmpty()) {
            out.add("    cmdline  " + String.join(" ", argv));
        }
        String domain = p.path("domain").isString() ? TerminalText.sanitize(p.path("domain").asString()) : null;
        String address = text(p, "remote_address", "?");
        out.add("    to       " + (domain == null ? address : domain + " (" + address + ")") + " port "
                + p.path("port").asInt() + " " + text(p, "protocol", "?"));
        out.add("    waiting  " + p.path("connections").asLong() + " connection(s), " + p.path("seconds_left").asLong()
                + " s left, then " + text(p, "timeout_action", "?"));
        return out;
    }

    private static String text(JsonNode p, String field, String fallback) {
        JsonNode n = p.get(field);
        return n == null || !n.isString() ? fallback : TerminalText.sanitize(n.asString());
    }
}
