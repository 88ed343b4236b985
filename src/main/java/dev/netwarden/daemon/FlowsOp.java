package dev.netwarden.daemon;

import dev.netwarden.daemon.control.ControlException;
import dev.netwarden.daemon.control.ControlHandler;
import dev.netwarden.daemon.owners.Namespaces;
import dev.netwarden.live.LiveFlowJson;
import dev.netwarden.live.LiveFlowSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

import java.io.IOException;
import java.util.Objects;

/**
 * The {@code flows} op, for {@code netwarden top}: the connections open now with their cumulative
 * counters and owners.
 * <pre>
 * → {"op":"flows"} or {"op":"flows","known":GENERATION}
 * ← {"ok":true,"net_ns":"net:[N]","pid_ns":"pid:[M]","at_ms":T,"generation":G,
 *    "processes":[…],"flows":[…],"counters":[…]}
 * </pre>
 * The format is {@link LiveFlowJson}'s. Asked once a second per viewer, so the arrays are written with
 * the streaming generator and put into the reply as raw JSON; with {@code known} (the generation of the
 * viewer's previous answer) flows it already has come as short counters rows.
 */
final class FlowsOp implements ControlHandler {
    static final String OP = "flows";

    private final LiveFlowSource source;
    private final Namespaces namespaces;

    FlowsOp(LiveFlowSource source, Namespaces namespaces) {
        this.source = Objects.requireNonNull(source, "source is null");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces is null");
    }

    @Override
    public void handle(JsonNode request, ObjectNode reply) throws ControlException {
        JsonNode k = request.get("known");
        long known = 0;
        if (k != null && !k.isNull()) {
            if (!k.isIntegralNumber() || !k.canConvertToLong() || k.asLong() < 0) {
                throw new ControlException("\"known\" must be a non-negative integer: the generation of an earlier answer");
            }
            known = k.asLong();
        }
        LiveFlowJson.Encoded e;
        try {
            e = LiveFlowJson.encode(source.liveFlows(), known);
        } catch (IOException ex) {
            throw new ControlException("the live flows cannot be read: " + ex.getMessage());
        }
        reply.put("net_ns", namespaces.net());
        reply.put("pid_ns", namespaces.pid());
        reply.put("at_ms", System.currentTimeMillis());
        reply.put("generation", e.generation());
        reply.putRawValue("processes", new RawValue(e.processes()));
        reply.putRawValue("flows", new RawValue(e.flows()));
        reply.putRawValue("counters", new RawValue(e.counters()));
    }
}
