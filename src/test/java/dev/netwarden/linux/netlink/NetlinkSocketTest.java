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

    /**
     * A datagram another process writes to our port is not a notification from the kernel, even
     * when its message claims port id 0; a message the kernel sends with a process's port id (as it
     * does for changes that process made) would pass. Root: sending to another process's netlink
     * port needs CAP_NET_ADMIN.
     */
    @Test
    void aNotificationWrittenByAnotherProcessIsSkipped() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.netwarden.testing.TestNamespace.isRoot(),
                "needs root: netlink unicast between user ports needs CAP_NET_ADMIN");
        try (NetlinkSocket listener = NetlinkSocket.open(NetlinkHeader.NETLINK_ROUTE, 200);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            dev.netwarden.linux.ffm.Libc.CallState st = new dev.netwarden.linux.ffm.Libc.CallState(arena);
            int spoofer = dev.netwarden.linux.ffm.Libc.socket(st, dev.netwarden.linux.ffm.Libc.AF_NETLINK,
                    dev.netwarden.linux.ffm.Libc.SOCK_RAW | dev.netwarden.linux.ffm.Libc.SOCK_CLOEXEC, NetlinkHeader.NETLINK_ROUTE);
            assertThat(spoofer).isGreaterThanOrEqualTo(0);
            try {
                MemorySegment message = arena.allocate(16, 4);
                NetlinkHeader.write(message, 0, 16, 24, 0); // RTM_NEWROUTE-looking, port id 0 in the header
                MemorySegment to = arena.allocate(12, 4);
                to.set(NetlinkLayouts.U16, 0, (short) dev.netwarden.linux.ffm.Libc.AF_NETLINK);
                to.set(U32, 4, listener.portId());
                assertThat(dev.netwarden.linux.ffm.Libc.sendto(st, spoofer, message, 16, 0, to, 12)).isEqualTo(16);
                List<Integer> seen = new ArrayList<>();
                assertThat(listener.receiveNotifications(m -> seen.add(m.type()))).isZero();
                assertThat(seen).isEmpty();
            } finally {
                dev.netwarden.linux.ffm.Libc.close(st, spoofer);
            }
        }
    }
}
