package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SockstatParserTest {
    /** /proc/net/sockstat and sockstat6 of a test namespace on kernel 6.18 with one listener and one pair. */
    private static final String V4 = """
            sockets: used 5
            TCP: inuse 3 orphan 0 tw 1 alloc 20017 mem 0
            UDP: inuse 0 mem 0
            UDPLITE: inuse 0
            RAW: inuse 0
            FRAG: inuse 0 memory 0
            """;
    private static final String V6 = """
            TCP6: inuse 12
            UDP6: inuse 0
            UDPLITE6: inuse 0
            RAW6: inuse 0
            FRAG6: inuse 0 memory 0
            """;

    private static long inUse(String text, String protocol) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return SockstatParser.inUse(b, b.length, protocol);
    }

    @Test
    void readsTheInuseOfTheNamedProtocolLine() {
        assertThat(inUse(V4, "TCP")).isEqualTo(3);
        assertThat(inUse(V4, "UDP")).isZero();
        assertThat(inUse(V6, "TCP6")).isEqualTo(12);
    }

    @Test
    void aMissingOrMalformedLineIsMinusOne() {
        assertThat(inUse(V6, "TCP")).as("TCP6 is not TCP").isEqualTo(-1);
        assertThat(inUse("TCP: inuse x orphan 0\n", "TCP")).isEqualTo(-1);
        assertThat(inUse("TCP: inuse 12x\n", "TCP")).isEqualTo(-1);
        assertThat(inUse("TCP: inuse \n", "TCP")).isEqualTo(-1);
        assertThat(inUse("TCP: inuse 99999999999999999999999\n", "TCP")).isEqualTo(-1);
        assertThat(inUse("", "TCP")).isEqualTo(-1);
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] b = "TCP: inuse 345\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(SockstatParser.inUse(b, 13, "TCP")).isEqualTo(34);
        assertThatThrownBy(() -> SockstatParser.inUse(b, b.length + 1, "TCP")).isInstanceOf(IllegalArgumentException.class);
    }
}
