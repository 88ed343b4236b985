package dev.netwarden.daemon.owners;

import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.linux.proc.ProcessTable;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.SocketHolder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket-owners op end to end through the dispatcher, without a socket: request → answer → decoded. */
class SocketOwnersWireTest {
    private static final Namespaces NS = new Namespaces("net:[1]", "pid:[2]");
    private static final ProcessInfo P = new ProcessInfo(42, 1, 1000, "alice", "curl\u001b", "/usr/bin/curl", true,
            List.of("curl", "https://x"), 12345, "/user.slice", null);
    private static final ProcessInfo Q = new ProcessInfo(43, 42, 0, null, "sh", null, false, List.of(), 7, null, "ab".repeat(32));

    private final AtomicReference<long[]> asked = new AtomicReference<>();
    private final ControlHandlers handlers = new ControlHandlers();

    SocketOwnersWireTest() {
        handlers.register(SocketOwnersOp.OP, new SocketOwnersOp((inodes, detail) -> {
            asked.set(inodes);
            return new SocketOwners(Map.of(100L, List.of(new SocketHolder(42, 3), new SocketHolder(43, 5)),
                    200L, List.of(new SocketHolder(43, 6))), Map.of(42, P, 43, Q), 2, 300);
        }, NS));
    }

    private SocketOwners roundTrip(Namespaces client, long... inodes) throws Exception {
        byte[] req = SocketOwnersWire.request(client, ProcessTable.Detail.FULL, inodes);
        assertThat(req[req.length - 1]).isEqualTo((byte) '\n');
        String reply = handlers.dispatch(new String(req, 0, req.length - 1, StandardCharsets.UTF_8));
        return SocketOwnersWire.decode(reply.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTrip() throws Exception {
        SocketOwners o = roundTrip(NS, 100, 0, 200, 300);
        assertThat(asked.get()).containsExactly(100, 200, 300); // inode 0 is not sent
        assertThat(o.holders()).containsOnlyKeys(100L, 200L);
        assertThat(o.holders().get(100L)).containsExactly(new SocketHolder(42, 3), new SocketHolder(43, 5));
        assertThat(o.processes()).containsEntry(42, P).containsEntry(43, Q);
        assertThat(o.unreadableProcesses()).isEqualTo(2);
        assertThat(o.processesScanned()).isEqualTo(300);
    }

    @Test
    void otherNamespaceIsRefused() {
        assertThatThrownBy(() -> roundTrip(new Namespaces("net:[9]", "pid:[2]"), 100))
                .hasMessageContaining("refused: namespace mismatch: daemon in net:[1] pid:[2], client in net:[9] pid:[2]");
        assertThat(asked.get()).isNull();
    }

    @Test
    void badRequestsAreRefused() {
        assertThat(handlers.dispatch("{\"op\":\"socket-owners\",\"net_ns\":\"net:[1]\",\"pid_ns\":\"pid:[2]\",\"inodes\":[\"x\"]}"))
                .contains("\"ok\":false", "inodes[0] is not a socket inode");
        assertThat(handlers.dispatch("{\"op\":\"socket-owners\",\"net_ns\":\"net:[1]\",\"pid_ns\":\"pid:[2]\",\"detail\":\"all\",\"inodes\":[]}"))
                .contains("detail must be");
        assertThat(asked.get()).isNull();
    }

    @Test
    void malformedAnswers() {
        for (String bad : List.of("", "[]", "{\"holders\":[]}", "{\"ok\":true,\"holders\":[1,2],\"processes\":[]}",
                "{\"ok\":true,\"holders\":[1,42,3],\"processes\":[]}", "{\"ok\":true,\"holders\":[\"a\"]}",
                "{\"ok\":true,\"processes\":[{\"comm\":\"x\"}]}", "{\"ok\":true,\"holders\":[1,2,3")) {
            assertThatThrownBy(() -> SocketOwnersWire.decode(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("malformed socket-owners answer");
        }
    }
}
