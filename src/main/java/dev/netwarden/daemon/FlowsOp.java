package dev.netwarden.daemon;

import dev.netwarden.daemon.control.ControlException;
import dev.netwarden.daemon.control.ControlHandler;
import dev.netwarden.daemon.owners.Namespaces;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.LiveFlowJson;
import dev.netwarden.live.LiveFlowSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The {@code flows} op, for {@code netwarden top}: the connections open now with their cumulative
 * counters and owners.
 * <pre>
 * → {"op":"flows"} or {"op":"flows","session":"ID"}
 * ← {"ok":true,"net_ns":"net:[N]","pid_ns":"pid:[M]","at_ms":T,"delta":false|true,"seen_ms":S,
 *    "processes":[…],"flows":[…],"counters":[…],"closed":[…]}
 * </pre>
 * The format is {@link LiveFlowJson}'s. Without a session, or at a session's first call, every flow is
 * sent in full; later calls of the session get what changed since its previous answer. Asked once a
 * second per viewer at up to 100,000 flows, so the arrays are written with the streaming generator and
 * put into the reply as raw JSON.
 *
 * <p>Sessions: what each was last sent (one entry per open flow), at most {@link #MAX_SESSIONS}, each
 * forgotten after {@link #SESSION_IDLE_MILLIS} without a call (the least recently used goes first when
 * full). A client whose answer was lost starts a new session: the daemon cannot tell, so it must.
 */
final class FlowsOp implements ControlHandler {
    static final String OP = "flows";
    static final int MAX_SESSIONS = 8;
    static final long SESSION_IDLE_MILLIS = 60_000;
    static final int MAX_SESSION_ID = 64;

    private record Session(Map<Long, LiveFlow> sent, long[] lastUsed) {}

    private final LiveFlowSource source;
    private final Namespaces namespaces;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    FlowsOp(LiveFlowSource source, Namespaces namespaces) {
        this(source, namespaces, System::currentTimeMillis);
    }

    FlowsOp(LiveFlowSource source, Namespaces namespaces, LongSupplier clock) {
        this.source = Objects.requireNonNull(source, "source is null");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    @Override
    public void handle(JsonNode request, ObjectNode reply) throws ControlException {
        JsonNode id = request.get("session");
        String sessionId = null;
        if (id != null && !id.isNull()) {
            if (!id.isString() || id.asString().isEmpty() || id.asString().length() > MAX_SESSION_ID) {
                throw new ControlException("\"session\" must be a string of 1.." + MAX_SESSION_ID + " characters");
            }
            sessionId = id.asString();
        }
        long now = clock.getAsLong();
        LiveFlowJson.Encoded e;
        try {
            var flows = source.liveFlows();
            if (sessionId == null) {
                e = LiveFlowJson.encode(flows, null);
            } else {
                Session s = session(sessionId, now);
                synchronized (s) {
                    boolean first = s.sent().isEmpty() && s.lastUsed()[0] == 0;
                    e = LiveFlowJson.encode(flows, first ? null : s.sent());
                    if (first) {
                        flows.forEach(f -> s.sent().put(f.flowId(), f));
                    }
                    s.lastUsed()[0] = now;
                }
            }
        } catch (IOException ex) {
            throw new ControlException("the live flows cannot be read: " + ex.getMessage());
        }
        reply.put("net_ns", namespaces.net());
        reply.put("pid_ns", namespaces.pid());
        reply.put("at_ms", now);
        reply.put("delta", e.delta());
        reply.put("seen_ms", e.seenMillis());
        reply.putRawValue("processes", new RawValue(e.processes()));
        reply.putRawValue("flows", new RawValue(e.flows()));
        reply.putRawValue("counters", new RawValue(e.counters()));
        reply.putRawValue("closed", new RawValue(e.closed()));
    }

    private Session session(String id, long now) {
        synchronized (sessions) {
            for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
                if (now - it.next().lastUsed()[0] > SESSION_IDLE_MILLIS) {
                    it.remove();
                }
            }
            Session s = sessions.get(id);
            if (s == null) {
                if (sessions.size() >= MAX_SESSIONS) {
                    Iterator<String> oldest = sessions.keySet().iterator();
                    oldest.next();
                    oldest.remove();
                }
                s = new Session(new HashMap<>(), new long[] {0});
                sessions.put(id, s);
            }
            return s;
        }
    }

    /** Sessions held now (for tests and status). */
    int sessions() {
        synchronized (sessions) {
            return sessions.size();
        }
    }
}
