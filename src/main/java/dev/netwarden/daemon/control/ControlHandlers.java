package dev.netwarden.daemon.control;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control API's ops by name, and the dispatch of one request line to one response line. Each part
 * of the daemon registers its own ops ({@code status} by the frame, {@code socket-owners} by the warm
 * index, later {@code history} …) before or while the server runs.
 *
 * <p>Protocol, one JSON object per line each way: {@code {"op":"NAME",...}} → {@code {"ok":true,...}}
 * or {@code {"ok":false,"error":"..."}}. A malformed line gets an error and changes nothing.
 */
public final class ControlHandlers {
    private static final Logger LOG = Logger.getLogger("netwarden.control");
    static final JsonMapper JSON = JsonMapper.shared();

    private final ConcurrentHashMap<String, ControlHandler> handlers = new ConcurrentHashMap<>();

    /** Registers {@code op}; an op can be registered once. */
    public void register(String op, ControlHandler handler) {
        Objects.requireNonNull(op, "op is null");
        Objects.requireNonNull(handler, "handler is null");
        if (handlers.putIfAbsent(op, handler) != null) {
            throw new IllegalArgumentException("op already registered: " + op);
        }
    }

    /** The registered op names, sorted. */
    public TreeSet<String> ops() {
        return new TreeSet<>(handlers.keySet());
    }

    /** Answers one request line (without its newline) with one response line (without newline). */
    public String dispatch(String line) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JacksonException e) {
            return error("malformed request: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (request == null || !request.isObject()) {
            return error("malformed request: expected a JSON object like {\"op\":\"status\"}");
        }
        JsonNode op = request.get("op");
        if (op == null || !op.isString()) {
            return error("malformed request: no \"op\" string; ops: " + String.join(", ", ops()));
        }
        ControlHandler h = handlers.get(op.asString());
        if (h == null) {
            return error("unknown op \"" + op.asString() + "\"; ops: " + String.join(", ", ops()));
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.put("ok", true);
        try {
            h.handle(request, reply);
        } catch (ControlException e) {
            return error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "op " + op.asString() + " failed: " + e, e);
            return error("internal error in op " + op.asString() + ": " + e);
        }
        return JSON.writeValueAsString(reply);
    }

    static String error(String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", false);
        n.put("error", message);
        return JSON.writeValueAsString(n);
    }
}
