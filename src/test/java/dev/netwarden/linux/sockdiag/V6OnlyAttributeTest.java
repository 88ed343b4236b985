package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;

import static dev.netwarden.linux.netlink.NetlinkLayouts.U16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * INET_DIAG_SKV6ONLY (type 11, u8): the kernel's inet_diag_msg_attrs_fill() adds it to every AF_INET6
 * socket in LISTEN or CLOSE without being asked. The recorded tcp6 reply carries it (see
 * RecordedRepliesTest); here hand-made messages cover the other values and the broken ones.
 */
class V6OnlyAttributeTest {

    /** inet_diag_msg for a LISTEN socket on [::]:443 (or 0.0.0.0:443), then one attribute of {@code value}. */
    private static MemorySegment listener(int family, byte... value) {
        int attrLength = 4 + value.length;
        byte[] b = new byte[InetDiagParser.MSG_LENGTH + ((attrLength + 3) & ~3)];
        b[0] = (byte) family;
        b[1] = 10; // TCP_LISTEN
        b[4] = 0x01; // sport 443, big-endian
        b[5] = (byte) 0xbb;
        MemorySegment seg = MemorySegment.ofArray(b);
        seg.set(U16, InetDiagParser.MSG_LENGTH, (short) attrLength);
        seg.set(U16, InetDiagParser.MSG_LENGTH + 2, (short) InetDiagParser.INET_DIAG_SKV6ONLY);
        System.arraycopy(value, 0, b, InetDiagParser.MSG_LENGTH + 4, value.length);
        return seg;
    }

    private static SocketEntry parse(MemorySegment seg) {
        return InetDiagParser.parseOne(seg, 0, (int) seg.byteSize(), Netid.TCP);
    }

    @Test
    void dualStackAndV6OnlyListeners() throws Exception {
        SocketEntry dual = parse(listener(InetDiagParser.AF_INET6, (byte) 0));
        assertThat(dual.v6Only()).isFalse();
        assertThat(dual.local().address()).isEqualTo(InetAddress.getByName("::"));
        assertThat(dual.local().port()).isEqualTo(443);
        assertThat(parse(listener(InetDiagParser.AF_INET6, (byte) 1)).v6Only()).isTrue();
        assertThat(parse(listener(InetDiagParser.AF_INET6, (byte) 7, (byte) 0)).v6Only())
                .as("any non-zero first byte is true, extra bytes are ignored (as ss's rta_getattr_u8)").isTrue();
    }

    @Test
    void absentIsNull() {
        byte[] b = new byte[InetDiagParser.MSG_LENGTH];
        b[0] = (byte) InetDiagParser.AF_INET6;
        b[1] = 10;
        assertThat(parse(MemorySegment.ofArray(b)).v6Only()).isNull();
    }

    @Test
    void onAnIpv4SocketItIsIgnored() {
        assertThat(parse(listener(InetDiagParser.AF_INET, (byte) 1)).v6Only()).isNull();
    }

    @Test
    void emptyValueIsMalformed() {
        assertThatThrownBy(() -> parse(listener(InetDiagParser.AF_INET6)))
                .isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("SKV6ONLY");
    }
}
