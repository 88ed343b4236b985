package dev.netwarden.linux.sockdiag;

import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBytesTest {
    @Test
    void tcpDumpRequest() {
        int mask = SockDiagQuery.maskOf(SocketState.LISTEN, SocketState.ESTABLISHED);
        MemorySegment r = InetDiagRequest.dump(10, 6, InetDiagRequest.EXT_INFO | InetDiagRequest.EXT_CONG, mask);
        assertThat(r.get(U32, 0)).isEqualTo(72);
        assertThat(r.get(U16, 4)).isEqualTo((short) 20);
        assertThat(r.get(U16, 6)).isEqualTo((short) 0x301);
        assertThat(r.get(U8, 16)).isEqualTo((byte) 10);
        assertThat(r.get(U8, 17)).isEqualTo((byte) 6);
        assertThat(r.get(U8, 18)).isEqualTo((byte) (2 | 8));
        assertThat(r.get(U8, 19)).isZero();
        assertThat(r.get(U32, 20)).isEqualTo((1 << 10) | (1 << 1));
        assertThat(r.get(U32, 64)).isEqualTo(-1);
        assertThat(r.get(U32, 68)).isEqualTo(-1);
    }

    @Test
    void tcpDumpOfBothFamiliesIsOneLegacyRequestWithTheStatesAfterTheSockid() {
        int mask = SockDiagQuery.maskOf(SocketState.LISTEN, SocketState.ESTABLISHED);
        MemorySegment r = InetDiagRequest.tcpDumpBothFamilies(InetDiagRequest.EXT_INFO | InetDiagRequest.EXT_CONG, mask);
        assertThat(r.byteSize()).isEqualTo(76);
        assertThat(r.get(U32, 0)).isEqualTo(76);
        assertThat(r.get(U16, 4)).isEqualTo((short) 18); // TCPDIAG_GETSOCK
        assertThat(r.get(U16, 6)).isEqualTo((short) 0x301);
        assertThat(r.get(U8, 16)).isZero(); // no family: the kernel dumps AF_UNSPEC
        assertThat(r.get(U8, 17)).isZero();
        assertThat(r.get(U8, 18)).isZero();
        assertThat(r.get(U8, 19)).isEqualTo((byte) (2 | 8));
        assertThat(r.asSlice(20, 40).toArray(JAVA_BYTE)).containsOnly(0);
        assertThat(r.get(U32, 60)).isEqualTo(-1);
        assertThat(r.get(U32, 64)).isEqualTo(-1);
        assertThat(r.get(U32, 68)).isEqualTo((1 << 10) | (1 << 1));
        assertThat(r.get(U32, 72)).isZero();
    }

    @Test
    void rawDumpAsksForAnyRawProtocol() {
        MemorySegment r = InetDiagRequest.dump(2, 255, 0, -1);
        assertThat(Byte.toUnsignedInt(r.get(U8, 17))).isEqualTo(255);
        assertThat(Byte.toUnsignedInt(r.get(U8, 19))).isEqualTo(255);
    }

    @Test
    void exactTcpLookupPutsLocalInSrcAndUdpTheOtherWayRound() throws Exception {
        InetEndpoint local = new InetEndpoint(InetAddress.getByName("10.0.0.1"), 40000);
        InetEndpoint remote = new InetEndpoint(InetAddress.getByName("192.0.2.7"), 443);
        MemorySegment r = MemorySegment.ofArray(new byte[72]);
        InetDiagRequest.writeExact(r, 0, 6, local, remote);
        assertThat(r.get(U16, 6)).isEqualTo((short) 1);
        assertThat(r.get(U8, 16)).isEqualTo((byte) 2);
        assertThat(Short.toUnsignedInt(r.get(BE16, 24))).isEqualTo(40000);
        assertThat(Short.toUnsignedInt(r.get(BE16, 26))).isEqualTo(443);
        assertThat(r.asSlice(28, 4).toArray(JAVA_BYTE)).containsExactly(10, 0, 0, 1);
        assertThat(r.asSlice(44, 4).toArray(JAVA_BYTE)).containsExactly(192 - 256, 0, 2, 7);
        InetDiagRequest.writeExact(r, 0, 17, local, remote);
        assertThat(Short.toUnsignedInt(r.get(BE16, 24))).isEqualTo(443);
        assertThat(r.asSlice(28, 4).toArray(JAVA_BYTE)).containsExactly(192 - 256, 0, 2, 7);
    }

    @Test
    void mixedFamiliesUseV4MappedIpv6() throws Exception {
        InetEndpoint local = new InetEndpoint(InetAddress.getByName("::1"), 1);
        InetEndpoint remote = new InetEndpoint(InetAddress.getByName("10.1.2.3"), 2);
        MemorySegment r = MemorySegment.ofArray(new byte[72]);
        InetDiagRequest.writeExact(r, 0, 6, local, remote);
        assertThat(r.get(U8, 16)).isEqualTo((byte) 10);
        assertThat(r.asSlice(44, 16).toArray(JAVA_BYTE)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 1, 2, 3);
    }

    @Test
    void exactLookupCarriesTheInterfaceIndexInIdiagIf() throws Exception {
        byte[] fe80 = InetAddress.getByName("fe80::1").getAddress();
        InetEndpoint scoped = new InetEndpoint(Inet6Address.getByAddress(null, fe80, 5), 40000);
        InetEndpoint unscoped = new InetEndpoint(InetAddress.getByAddress(fe80), 40000);
        InetEndpoint remote = new InetEndpoint(InetAddress.getByAddress(fe80), 22);
        MemorySegment r = MemorySegment.ofArray(new byte[72]);
        InetDiagRequest.writeExact(r, 0, 6, unscoped, remote, 3);
        assertThat(r.get(U32, 16 + 44)).isEqualTo(3);
        assertThat(r.get(U32, 16 + 48)).isEqualTo(-1);
        InetDiagRequest.writeExact(r, 0, 17, scoped, remote);
        assertThat(r.get(U32, 16 + 44)).as("from the local scope id").isEqualTo(5);
        InetDiagRequest.writeExact(r, 0, 6, unscoped, remote);
        assertThat(r.get(U32, 16 + 44)).as("no scope: any unbound socket").isZero();
        InetDiagRequest.writeExact(r, 0, 6, scoped, remote, 7);
        assertThat(r.get(U32, 16 + 44)).as("an explicit index wins").isEqualTo(7);
        assertThatThrownBy(() -> InetDiagRequest.writeExact(r, 0, 6, unscoped, remote, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unixDumpRequest() {
        MemorySegment r = UnixDiagRequest.dump(-1, UnixDiagRequest.DEFAULT_SHOW);
        assertThat(r.get(U32, 0)).isEqualTo(40);
        assertThat(r.get(U8, 16)).isEqualTo((byte) 1);
        assertThat(r.get(U32, 20)).isEqualTo(-1);
        assertThat(r.get(U32, 28)).isEqualTo(0x01 | 0x04 | 0x10 | 0x40);
    }
}
