package dev.netwarden.daemon.owners;

import dev.netwarden.process.ProcessInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link ProcessInfo} on the control wire: every field, nulls as JSON null, names in snake_case. */
final class ProcessJson {
    private ProcessJson() {
    }

    static void write(ProcessInfo p, ObjectNode o) {
        o.put("pid", p.pid());
        o.put("ppid", p.ppid());
        o.put("uid", p.uid());
        o.put("user", p.user());
        o.put("comm", p.comm());
        o.put("exe", p.exe());
        o.put("exe_deleted", p.exeDeleted());
        ArrayNode argv = o.putArray("cmdline");
        p.cmdline().forEach(argv::add);
        o.put("start_ticks", p.startTicks());
        o.put("cgroup", p.cgroup());
        o.put("container_id", p.containerId());
    }

    static ProcessInfo read(JsonNode o) throws IOException {
        if (!o.isObject() || !o.path("pid").isInt()) {
            throw new IOException("malformed process in daemon answer");
        }
        List<String> argv = new ArrayList<>();
        for (JsonNode a : o.path("cmdline")) {
            argv.add(a.asString());
        }
        return new ProcessInfo(o.path("pid").asInt(), o.path("ppid").asInt(-1), o.path("uid").asInt(-1),
                text(o, "user"), text(o, "comm"), text(o, "exe"), o.path("exe_deleted").asBoolean(false), argv,
                o.path("start_ticks").asLong(-1), text(o, "cgroup"), text(o, "container_id"));
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asString();
    }
}
