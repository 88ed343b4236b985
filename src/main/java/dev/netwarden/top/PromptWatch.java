package dev.netwarden.top;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.prompt.AnswerLine;
import dev.netwarden.prompt.PromptSession;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The firewall's waiting questions, asked of the daemon once per refresh ({@code prompts} op), shown as
 * a banner and answered from {@code top} ({@code prompt-answer}). Quiet when the daemon has prompts off
 * or cannot be reached: the view is about traffic, the banner is extra.
 */
final class PromptWatch implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Path socket;
    private ControlClient client;
    private List<JsonNode> pending = List.of();

    PromptWatch(Path socket) {
        this.socket = Objects.requireNonNull(socket, "socket is null");
    }

    /** Asks the daemon what waits now; on any failure, nothing does. */
    void refresh() {
        try {
            if (client == null) {
                client = ControlClient.connect(socket, TIMEOUT);
            }
            JsonNode reply = client.call("prompts", TIMEOUT);
            List<JsonNode> list = new ArrayList<>();
            if (reply.path("ok").asBoolean() && reply.path("enabled").asBoolean()) {
                reply.path("prompts").forEach(list::add);
            }
            pending = List.copyOf(list);
        } catch (IOException | RuntimeException e) {
            close();
            pending = List.of();
        }
    }

    /** The oldest waiting question's id, or -1. */
    long firstId() {
        return pending.isEmpty() ? -1 : pending.getFirst().path("id").asLong(-1);
    }

    /** The banner line, or null when nothing waits. Every name in it is escaped. */
    String banner() {
        if (pending.isEmpty()) {
            return null;
        }
        return banner(pending.getFirst(), pending.size() - 1);
    }

    static String banner(JsonNode p, int more) {
        String app = text(p, "app", "?");
        long pid = p.path("pid").asLong(-1);
        String domain = p.path("domain").isString() ? TerminalText.sanitize(p.path("domain").asString()) : null;
        String address = text(p, "remote_address", "?");
        StringBuilder sb = new StringBuilder(120);
        sb.append("! firewall asks [").append(p.path("id").asLong()).append("] ").append(app);
        if (pid >= 0) {
            sb.append('/').append(pid);
        }
        sb.append(" -> ").append(domain == null ? address : domain + " (" + address + ")")
                .append(" port ").append(p.path("port").asInt()).append(' ').append(text(p, "protocol", "?"))
                .append(", ").append(p.path("seconds_left").asLong()).append(" s left, then ").append(text(p, "timeout_action", "?"))
                .append("   a allow, x deny");
        if (more > 0) {
            sb.append("   (+").append(more).append(" more)");
        }
        return sb.toString();
    }

    private static String text(JsonNode p, String field, String fallback) {
        JsonNode n = p.get(field);
        return n == null || !n.isString() ? fallback : TerminalText.sanitize(n.asString());
    }

    /** Sends an answer; returns what to tell the user (escaped). */
    String answer(long id, AnswerLine.Answer a) {
        try {
            if (client == null) {
                client = ControlClient.connect(socket, TIMEOUT);
            }
            JsonNode reply = client.call(PromptSession.answerRequest(id, a), TIMEOUT);
            if (!reply.path("ok").asBoolean()) {
                return "not answered: " + TerminalText.sanitize(reply.path("error").asString(""));
            }
            JsonNode rule = reply.get("rule_id");
            refresh();
            return "[" + id + "] " + a.action().label() + (rule == null || rule.isNull() ? " (once)"
                    : ", rule " + TerminalText.sanitize(rule.asString()));
        } catch (IOException | RuntimeException e) {
            close();
            return "not answered: " + TerminalText.sanitize(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
