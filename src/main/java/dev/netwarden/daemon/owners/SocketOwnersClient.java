package dev.netwarden.daemon.owners;

import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The client side of {@link SocketOwnersOp}: asks a running daemon, or says why it could not. */
public final class SocketOwnersClient {
    /** Connecting is local and instant when a daemon runs; anything slower means it is wedged. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(200);
    /** The daemon may run a full /proc scan for an answer (~0.2 s at 100k sockets) on a loaded machine. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private SocketOwnersClient() {
    }

    /**
     * The owners of {@code inodes} according to the daemon at {@code socket}.
     *
     * @throws IOException no daemon, a namespace mismatch, a refusal or a malformed answer: the message
     *                     says which; the caller then scans /proc itself
     */
    public static SocketOwners ask(Path socket, long[] inodes, ProcessTable.Detail detail) throws IOException {
        try (ControlClient client = ControlClient.connect(socket, CONNECT_TIMEOUT)) {
            Namespaces ns = Namespaces.current();
            ObjectNode req = ControlClient.request(SocketOwnersOp.OP);
            req.put("net_ns", ns.net()).put("pid_ns", ns.pid()).put("detail", detail == ProcessTable.Detail.FULL ? "full" : "basic");
            ArrayNode list = req.putArray("inodes");
            for (long i : inodes) {
                if (i != 0) {
                    list.add(i);
                }
            }
            JsonNode reply = client.call(req, ANSWER_TIMEOUT);
            if (!reply.get("ok").asBoolean()) {
                throw new IOException("daemon at " + socket + " refused: " + reply.path("error").asString("?"));
            }
            return decode(reply);
        }
    }

    static SocketOwners decode(JsonNode reply) throws IOException {
        JsonNode flat = reply.get("holders");
        JsonNode procs = reply.get("processes");
        if (flat == null || !flat.isArray() || flat.size() % 3 != 0 || procs == null || !procs.isArray()) {
            throw new IOException("malformed socket-owners answer");
        }
        Map<Integer, ProcessInfo> processes = new HashMap<>();
        for (JsonNode p : procs) {
            ProcessInfo info = ProcessJson.read(p);
            processes.put(info.pid(), info);
        }
        Map<Long, List<SocketHolder>> holders = new HashMap<>();
        for (int i = 0; i < flat.size(); i += 3) {
            long inode = flat.get(i).asLong();
            int pid = flat.get(i + 1).asInt();
            if (!processes.containsKey(pid)) {
                throw new IOException("malformed socket-owners answer: holder pid " + pid + " has no process");
            }
            holders.computeIfAbsent(inode, k -> new ArrayList<>(1)).add(new SocketHolder(pid, flat.get(i + 2).asInt()));
        }
        return new SocketOwners(holders, processes, reply.path("unreadable_processes").asInt(0),
                reply.path("processes_scanned").asInt(0));
    }
}
