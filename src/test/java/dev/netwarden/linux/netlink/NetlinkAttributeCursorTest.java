package dev.netwarden.linux.netlink;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetlinkAttributeCursorTest {
    private static NetlinkAttributeCursor over(byte[] b) {
        return new NetlinkAttributeCursor(MemorySegment.ofArray(b), 0, b.length);
    }

    @Test
    void walksAttributesStripsFlagBitsAndSkipsPadding() {
        byte[] b = new NetlinkBytes()
                .attr(5, 4, (byte) 'x').pad()
                .attr(8, 0x8000 | 2, (byte) 1, (byte) 2, (byte) 3, (byte) 4)
                .attr(4, 7)
                .toArray();
        NetlinkAttributeCursor c = over(b);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(4);
        assertThat(c.valueLength()).isEqualTo(1);
        assertThat(c.next()).isTrue();
        assertThat(c.type()).isEqualTo(2);
        assertThat(c.valueOffset()).isEqualTo(12);
        assertThat(c.valueLength()).isEqualTo(4);
        assertThat(c.next()).isTrue();
        assertThat(c.valueLength()).isZero();
        assertThat(c.next()).isFalse();
    }

    @Test
    void attributeOverrunningItsRangeIsMalformed() {
        byte[] b = new NetlinkBytes().attr(12, 2, (byte) 1, (byte) 2, (byte) 3, (byte) 4).toArray();
        assertThatThrownBy(() -> over(b).next()).isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("exceeds");
    }

    @Test
    void zeroLengthAttributeIsMalformed() {
        byte[] b = new NetlinkBytes().attr(0, 2).toArray();
        assertThatThrownBy(() -> over(b).next()).isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("< 4");
    }

    @Test
    void strayBytesAfterTheLastAttributeAreMalformed() {
        byte[] b = new NetlinkBytes().attr(4, 1).bytes((byte) 0, (byte) 0).toArray();
        NetlinkAttributeCursor c = over(b);
        assertThat(c.next()).isTrue();
        assertThatThrownBy(c::next).isInstanceOf(MalformedNetlinkException.class).hasMessageContaining("truncated");
    }
}
