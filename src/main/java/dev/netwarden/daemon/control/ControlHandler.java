package dev.netwarden.daemon.control;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers one op of the control API. Called on a connection's own (virtual) thread, possibly for
 * several clients at once: thread-safe. A handler must not block for long (clients time out) and
 * must change nothing when it refuses a request.
 */
@FunctionalInterface
public interface ControlHandler {
    /**
     * @param request the whole request object (its {@code op} included)
     * @param reply   an empty object to fill; it is sent with {@code "ok":true} added first
     * @throws ControlException to answer {@code {"ok":false,"error":...}}
     */
    void handle(JsonNode request, ObjectNode reply) throws ControlException;
}
