package dev.netwarden.daemon.owners;

import dev.netwarden.process.ProcessInfo;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;


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

}
