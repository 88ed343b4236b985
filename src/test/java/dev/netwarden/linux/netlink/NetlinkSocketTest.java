package dev.netwarden.linux.netlink;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Talks to the real kernel (sock_diag needs no privilege to open or to be refused). */
class NetlinkSocketTest {
    /** A SOCK_DIAG_BY_FAMILY inet request for an IP protocol no diag module handles. */
    private static MemorySegment bogusRequest(int flags) {
        MemorySegment req = MemorySegment.ofArray(new byte[16 + 56]);
        NetlinkHeader.write(req, 0, 72, 20, flags);
        req.set(U8, 16, (byte) 2);     // AF_INET
        req.set(U8, 17, (byte) 99);    // no such inet_diag handler
        req.set(U32, 20, -1);
        return req;
    }

    @Test
    void bindsAndLearnsItsPortId() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG)) {
            assertThat(s.portId()).isNotZero();
            assertThat(s.isBroken()).isFalse();
        }
    }

    @Test
    void kernelErrorBecomesNetlinkExceptionWithErrno() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG)) {
            assertThatThrownBy(() -> s.request(bogusRequest(NetlinkHeader.NLM_F_REQUEST), m -> { }))
                    .isInstanceOf(NetlinkException.class)
                    .satisfies(e -> assertThat(((NetlinkException) e).errno()).isPositive())
                    .hasMessageContaining("netlink request");
            // the socket stays usable after a kernel error
            assertThat(s.isBroken()).isFalse();
            List<Integer> types = new ArrayList<>();
            MemorySegment dump = bogusRequest(NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP);
            dump.set(U8, 17, (byte) 6); // TCP: a valid dump
            s.dump(dump, m -> types.add(m.type()));
            assertThat(types).allMatch(t -> t == 20);
        }
    }

    @Test
    void rejectsRequestsWhoseLengthFieldLies() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG)) {
            MemorySegment req = bogusRequest(NetlinkHeader.NLM_F_REQUEST);
            req.set(U32, 0, 99);
            assertThatThrownBy(() -> s.send(req)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closedSocketRefusesUse() throws Exception {
        NetlinkSocket s = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG);
        s.close();
        s.close();
        assertThatThrownBy(() -> s.send(bogusRequest(1))).isInstanceOf(IllegalStateException.class);
    }
}
