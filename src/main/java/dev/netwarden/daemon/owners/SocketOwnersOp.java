package dev.netwarden.daemon.owners;

import dev.netwarden.daemon.control.ControlException;
import dev.netwarden.daemon.control.ControlHandler;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code socket-owners} op, used by {@code conns}:
 * <pre>
 * → {"op":"socket-owners","net_ns":"net:[N]","pid_ns":"pid:[M]","detail":"basic"|"full","inodes":[I,...]}
 * ← {"ok":true,"holders":[I,PID,FD, I,PID,FD, ...],"processes":[{process},...],
 *    "unreadable_processes":n,"processes_scanned":n}
 * </pre>
 * Holders are a flat triple array (a 100k-socket answer stays a few MB). The request is refused when
 * the client's namespaces differ from the daemon's (the client then works standalone).
 */
public final class SocketOwnersOp implements ControlHandler {
    public static final String OP = "socket-owners";
    /** A request may name at most this many inodes. */
    static final int MAX_INODES = 1 << 20;

    private final SocketOwnerSource source;
    private final Namespaces namespaces;

    public SocketOwnersOp(SocketOwnerSource source, Namespaces namespaces) {
        this.source = Objects.requireNonNull(source, "source is null");
        this.namespaces = Objects.requireNonNull(namespaces, "namespaces is null");
    }

    @Override
    public void handle(JsonNode request, ObjectNode reply) throws ControlException {
        String net = request.path("net_ns").asString("");
        String pid = request.path("pid_ns").asString("");
        if (!namespaces.net().equals(net) || !namespaces.pid().equals(pid)) {
            throw new ControlException("namespace mismatch: daemon in " + namespaces.net() + " " + namespaces.pid()
                    + ", client in " + net + " " + pid);
        }
        ProcessTable.Detail detail = switch (request.path("detail").asString("basic")) {
            case "basic" -> ProcessTable.Detail.BASIC;
            case "full" -> ProcessTable.Detail.FULL;
            default -> throw new ControlException("detail must be \"basic\" or \"full\"");
        };
        JsonNode list = request.get("inodes");
        if (list == null || !list.isArray() || list.size() > MAX_INODES) {
            throw new ControlException("inodes must be an array of at most " + MAX_INODES + " socket inodes");
        }
        long[] inodes = new long[list.size()];
        for (int i = 0; i < inodes.length; i++) {
            JsonNode n = list.get(i);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                throw new ControlException("inodes[" + i + "] is not a socket inode");
            }
            inodes[i] = n.asLong();
        }
        SocketOwners owners;
        try {
            owners = source.owners(inodes, detail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("daemon is stopping");
        }
        ArrayNode holders = reply.putArray("holders");
        for (Map.Entry<Long, List<SocketHolder>> e : owners.holders().entrySet()) {
            for (SocketHolder h : e.getValue()) {
                holders.add(e.getKey()).add(h.pid()).add(h.fd());
            }
        }
        ArrayNode processes = reply.putArray("processes");
        for (ProcessInfo p : owners.processes().values()) {
            ProcessJson.write(p, processes.addObject());
        }
        reply.put("unreadable_processes", owners.unreadableProcesses());
        reply.put("processes_scanned", owners.processesScanned());
    }
}
