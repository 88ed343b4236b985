package dev.netwarden.linux.connector;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.netwarden.linux.netlink.MalformedNetlinkException;

import java.lang.foreign.MemorySegment;

/**
 * Property: any bytes either parse into proc events or raise MalformedNetlinkException; nothing
 * else is thrown and no read leaves the range (an out-of-range read would throw
 * IndexOutOfBoundsException and fail the run). Seeds: the recorded datagrams.
 */
class ProcEventFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void datagram(byte[] data) {
        try {
            ProcEventParser.parseDatagram(data);
        } catch (MalformedNetlinkException expected) {
            // documented outcome for bad bytes
        }
        try {
            ProcEventParser.parse(MemorySegment.ofArray(data), 0, data.length);
        } catch (MalformedNetlinkException expected) {
            // a bare payload (cn_msg first) too
        }
    }
}
