package dev.netwarden.daemon;

import dev.netwarden.daemon.control.ControlException;
import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.PendingPrompt;
import dev.netwarden.firewall.PromptAnswer;
import dev.netwarden.firewall.PromptBroker;
import dev.netwarden.firewall.PromptScope;
import dev.netwarden.firewall.RuleDuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The control ops of the firewall's prompts (for {@code netwarden prompt} and the web UI):
 * <ul>
 *   <li>{@code {"op":"prompts"}} → {@code {"enabled":true,"version":N,"prompts":[PROMPT…]}}
 *   <li>{@code {"op":"prompts-wait","after":N,"timeout_ms":M}} → the same, once the version differs
 *       from {@code after} (a question was asked, grew or went) or after {@code timeout_ms} (default
 *       20000, at most {@link #MAX_WAIT_MILLIS}: below the server's idle timeout)
 *   <li>{@code {"op":"prompt-answer","id":N,"action":"allow|deny|reject","scope":"exe|destination|cmdline",
 *       "duration":"once|15m|until-exit|until-restart|always"}} → {@code {"rule_id":"…"|null}}
 * </ul>
 * PROMPT: {@code id, app, exe, cmdline (array), user, uid, pid, remote_address, domain, port, protocol,
 * held_packets, connections, created_ms, deadline_ms, seconds_left, timeout_action}; process fields null
 * (pid/uid -1) when unknown. A bad request is refused with a clear error and changes nothing. With
 * prompts off (passive level, or a default action other than prompt) the lists are empty with
 * {@code "enabled":false} and answers are refused.
 */
public final class PromptOps {
    static final String LIST = "prompts";
    static final String WAIT = "prompts-wait";
    static final String ANSWER = "prompt-answer";
    static final long MAX_WAIT_MILLIS = 25_000;
    static final long DEFAULT_WAIT_MILLIS = 20_000;

    private final Supplier<PromptBroker> broker;

    public PromptOps(Supplier<PromptBroker> broker) {
        this.broker = Objects.requireNonNull(broker, "broker is null");
    }

    public void register(ControlHandlers handlers) {
        handlers.register(LIST, (request, reply) -> list(reply, broker.get()));
        handlers.register(WAIT, this::await);
        handlers.register(ANSWER, this::answer);
    }

    private void await(JsonNode request, ObjectNode reply) throws ControlException {
        long after = longField(request, "after", -1);
        long timeout = longField(request, "timeout_ms", DEFAULT_WAIT_MILLIS);
        if (timeout < 0 || timeout > MAX_WAIT_MILLIS) {
            throw new ControlException("timeout_ms must be 0.." + MAX_WAIT_MILLIS);
        }
        PromptBroker b = broker.get();
        if (b != null) {
            try {
                b.await(after, Duration.ofMillis(timeout));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ControlException("interrupted");
            }
        } else if (timeout > 0) {
            try {
                Thread.sleep(timeout); // nothing will ever change: keep a polling client from spinning
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        list(reply, b);
    }

    private static void list(ObjectNode reply, PromptBroker b) {
        reply.put("enabled", b != null);
        reply.put("version", b == null ? 0 : b.version());
        ArrayNode arr = reply.putArray("prompts");
        if (b == null) {
            return;
        }
        long now = System.currentTimeMillis();
        for (PendingPrompt p : b.pending()) {
            ObjectNode o = arr.addObject();
            o.put("id", p.id());
            o.put("app", p.app());
            o.put("exe", p.exe());
            ArrayNode cmd = o.putArray("cmdline");
            p.cmdline().forEach(cmd::add);
            o.put("user", p.user());
            o.put("uid", p.uid());
            o.put("pid", p.pid());
            o.put("remote_address", p.remoteAddress().getHostAddress());
            o.put("domain", p.domain());
            o.put("port", p.port());
            o.put("protocol", p.transport().label());
            o.put("held_packets", p.heldPackets());
            o.put("connections", p.connections());
            o.put("created_ms", p.createdMillis());
            o.put("deadline_ms", p.deadlineMillis());
            o.put("seconds_left", Math.max(0, (p.deadlineMillis() - now + 999) / 1000));
            o.put("timeout_action", p.timeoutAction().label());
        }
    }

    private void answer(JsonNode request, ObjectNode reply) throws ControlException {
        PromptBroker b = broker.get();
        if (b == null) {
            throw new ControlException("prompts are off: the daemon is not at the intercept level or firewall.default_action is not prompt");
        }
        JsonNode id = request.get("id");
        if (id == null || !id.isIntegralNumber()) {
            throw new ControlException("prompt-answer needs \"id\": the prompt's id (an integer)");
        }
        Action action = switch (text(request, "action")) {
            case "allow" -> Action.ALLOW;
            case "deny" -> Action.DENY;
            case "reject" -> Action.REJECT;
            default -> throw new ControlException("\"action\" must be allow, deny or reject");
        };
        PromptScope scope;
        RuleDuration duration;
        try {
            scope = PromptScope.parse(text(request, "scope"));
            duration = RuleDuration.parse(text(request, "duration"));
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        }
        Optional<String> rule;
        try {
            rule = b.answer(id.asLong(), new PromptAnswer(action, scope, duration));
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        } catch (IOException e) {
            throw new ControlException("the rule could not be added (" + e.getMessage() + "); the prompt is still pending");
        }
        if (rule.isPresent()) {
            reply.put("rule_id", rule.get());
        } else {
            reply.putNull("rule_id");
        }
    }

    private static String text(JsonNode request, String field) throws ControlException {
        JsonNode n = request.get(field);
        if (n == null || !n.isString()) {
            throw new ControlException("prompt-answer needs \"" + field + "\" (a string)");
        }
        return n.asString().toLowerCase(Locale.ROOT);
    }

    private static long longField(JsonNode request, String field, long fallback) throws ControlException {
        JsonNode n = request.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isIntegralNumber()) {
            throw new ControlException("\"" + field + "\" must be an integer");
        }
        return n.asLong();
    }
}
