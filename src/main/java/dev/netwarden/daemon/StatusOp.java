package dev.netwarden.daemon;

import dev.netwarden.daemon.config.DaemonConfig;
import dev.netwarden.daemon.control.ControlHandler;
import dev.netwarden.daemon.owners.Namespaces;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code status} op: {@code {"ok":true,"pid":N,"version":"…","level":"passive","uptime_ms":N,
 * "data_dir":"…","net_ns":"net:[…]","services":{"NAME":{stats},…}}}.
 */
public final class StatusOp implements ControlHandler {
    public static final String OP = "status";

    private final Daemon daemon;
    private final DaemonConfig config;
    private final Namespaces namespaces;

    public StatusOp(Daemon daemon, DaemonConfig config, Namespaces namespaces) {
        this.daemon = Objects.requireNonNull(daemon, "daemon is null");
        this.config = Objects.requireNonNull(config, "config is null");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces is null");
    }

    @Override
    public void handle(JsonNode request, ObjectNode reply) {
        reply.put("pid", ProcessHandle.current().pid());
        reply.put("version", version());
        reply.put("level", config.daemon().level().label());
        Instant started = daemon.startedAt();
        reply.put("uptime_ms", started == null ? 0 : Duration.between(started, Instant.now()).toMillis());
        reply.put("data_dir", config.daemon().dataDir().toString());
        reply.put("net_ns", namespaces.net());
        ObjectNode services = reply.putObject("services");
        for (Service s : daemon.services()) {
            put(services.putObject(s.name()), s.stats());
        }
    }

    /** Numbers, booleans and strings as they are; nested maps (a part's sub-stats) as nested objects. */
    private static void put(ObjectNode o, Map<String, Object> stats) {
        for (Map.Entry<String, Object> e : stats.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Long l) {
                o.put(e.getKey(), l);
            } else if (v instanceof Integer i) {
                o.put(e.getKey(), i);
            } else if (v instanceof Number n) {
                o.put(e.getKey(), n.doubleValue());
            } else if (v instanceof Boolean b) {
                o.put(e.getKey(), b);
            } else if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) m;
                put(o.putObject(e.getKey()), nested);
            } else if (v == null) {
                o.putNull(e.getKey());
            } else {
                o.put(e.getKey(), String.valueOf(v));
            }
        }
    }

    /** The jar's version, or "development build" when run from classes. */
    public static String version() {
        String v = StatusOp.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
