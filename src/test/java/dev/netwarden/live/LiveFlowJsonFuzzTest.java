package dev.netwarden.live;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LiveFlowJsonFuzzTest {
    /**
     * Any bytes from the socket decode or fail with IOException, against an empty session and against one
     * that holds flows; what decodes is exactly what the client then holds.
     */
    @FuzzTest(maxDuration = "30s")
    void decodesOrRefuses(byte[] data) {
        for (boolean withFlows : new boolean[] {false, true}) {
            Map<Long, LiveFlow> current = new HashMap<>();
            if (withFlows) {
                LiveFlow f = LiveFlowJsonTest.flow(1, dev.netwarden.flow.Attribution.of(LiveFlowJsonTest.CURL), null, "192.0.2.7",
                        new dev.netwarden.flow.Counters(1, 2, 3, 4));
                current.put(1L, f);
            }
            try {
                LiveFlowJson.Decoded d = LiveFlowJson.decode(data, current);
                assertThat(d.flows()).hasSameSizeAs(current.values());
            } catch (IOException expected) {
                // refused or malformed: top starts a new session, or scans itself
            }
        }
    }
}
