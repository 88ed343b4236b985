package dev.netwarden.daemon.owners;

import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's side of the {@code socket-owners} wire format (see {@link SocketOwnersOp}), with
 * jackson-core's streaming generator and parser only: {@code conns} is a short-lived JVM, and the
 * databind tree model would add ~100 ms of class loading to a call the daemon answers in ~20 ms.
 */
final class SocketOwnersWire {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private SocketOwnersWire() {
    }

    /** The request line, newline included. Inode 0 is left out. */
    static byte[] request(Namespaces ns, ProcessTable.Detail detail, long[] inodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + inodes.length * 12);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringProperty("op", SocketOwnersOp.OP);
            g.writeStringProperty("net_ns", ns.net());
            g.writeStringProperty("pid_ns", ns.pid());
            g.writeStringProperty("detail", detail == ProcessTable.Detail.FULL ? "full" : "basic");
            g.writeArrayPropertyStart("inodes");
            for (long i : inodes) {
                if (i != 0) {
                    g.writeNumber(i);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * The answer, or an IOException saying why it cannot be used (a refusal's message, or malformed).
     */
    static SocketOwners decode(byte[] line) throws IOException {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            Boolean ok = null;
            String error = null;
            long[] flat = new long[0];
            int flatLen = 0;
            Map<Integer, ProcessInfo> processes = new HashMap<>();
            int unreadable = 0;
            int scanned = 0;
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "ok" -> ok = t == JsonToken.VALUE_TRUE;
                    case "error" -> error = t == JsonToken.VALUE_STRING ? p.getString() : "?";
                    case "holders" -> {
                        expect(t, JsonToken.START_ARRAY);
                        flat = new long[1024];
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                            expect(v, JsonToken.VALUE_NUMBER_INT);
                            if (flatLen == flat.length) {
                                flat = java.util.Arrays.copyOf(flat, flatLen * 2);
                            }
                            flat[flatLen++] = p.getLongValue();
                        }
                    }
                    case "processes" -> {
                        expect(t, JsonToken.START_ARRAY);
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                            expect(v, JsonToken.START_OBJECT);
                            ProcessInfo info = process(p);
                            processes.put(info.pid(), info);
                        }
                    }
                    case "unreadable_processes" -> unreadable = p.getIntValue();
                    case "processes_scanned" -> scanned = p.getIntValue();
                    default -> p.skipChildren();
                }
            }
            if (ok == null) {
                throw new IOException("malformed socket-owners answer: no \"ok\"");
            }
            if (!ok) {
                throw new IOException("refused: " + error);
            }
            if (flatLen % 3 != 0) {
                throw new IOException("malformed socket-owners answer: holders not in triples");
            }
            Map<Long, List<SocketHolder>> holders = new HashMap<>(flatLen);
            for (int i = 0; i < flatLen; i += 3) {
                int pid = (int) flat[i + 1];
                if (!processes.containsKey(pid)) {
                    throw new IOException("malformed socket-owners answer: holder pid " + pid + " has no process");
                }
                holders.computeIfAbsent(flat[i], k -> new ArrayList<>(1)).add(new SocketHolder(pid, (int) flat[i + 2]));
            }
            return new SocketOwners(holders, processes, unreadable, scanned);
        } catch (JacksonException e) {
            throw new IOException("malformed socket-owners answer: " + e.getOriginalMessage(), e);
        }
    }

    private static ProcessInfo process(JsonParser p) throws IOException {
        int pid = -1;
        int ppid = -1;
        int uid = -1;
        long startTicks = -1;
        boolean exeDeleted = false;
        String user = null;
        String comm = null;
        String exe = null;
        String cgroup = null;
        String containerId = null;
        List<String> cmdline = new ArrayList<>();
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "pid" -> pid = p.getIntValue();
                case "ppid" -> ppid = p.getIntValue();
                case "uid" -> uid = p.getIntValue();
                case "start_ticks" -> startTicks = p.getLongValue();
                case "exe_deleted" -> exeDeleted = t == JsonToken.VALUE_TRUE;
                case "user" -> user = text(p, t);
                case "comm" -> comm = text(p, t);
                case "exe" -> exe = text(p, t);
                case "cgroup" -> cgroup = text(p, t);
                case "container_id" -> containerId = text(p, t);
                case "cmdline" -> {
                    expect(t, JsonToken.START_ARRAY);
                    for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                        expect(v, JsonToken.VALUE_STRING);
                        cmdline.add(p.getString());
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (pid <= 0) {
            throw new IOException("malformed socket-owners answer: process without pid");
        }
        return new ProcessInfo(pid, ppid, uid, user, comm, exe, exeDeleted, cmdline, startTicks, cgroup, containerId);
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.VALUE_STRING);
        return p.getString();
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("malformed socket-owners answer: expected " + wanted + ", found " + actual);
        }
    }
}
