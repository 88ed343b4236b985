package dev.netwarden.linux.nfqueue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netwarden.linux.netlink.MalformedNetlinkException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any bytes either parse into a record whose payload lies within the input, or raise
 * MalformedNetlinkException; nothing else is thrown and nothing hangs. Seeds: the recorded fixtures
 * (NfQueueMessageParserFuzzTestInputs).
 */
class NfQueueMessageParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesOrRefuses(byte[] data) {
        try {
            QueuedPacket p = new NfQueueMessageParser().parse(data);
            assertThat(p.payload().length).isLessThanOrEqualTo(data.length);
            assertThat(Integer.compareUnsigned(p.packetLength(), p.payload().length)).isNotNegative();
            assertThat(p.hook()).isBetween(0, 255);
        } catch (MalformedNetlinkException expected) {
            // documented outcome for bad bytes
        }
    }
}
