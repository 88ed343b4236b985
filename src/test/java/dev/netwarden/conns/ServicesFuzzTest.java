package dev.netwarden.conns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

class ServicesFuzzTest {

    /** Any bytes parse (never throw), and every name found by port resolves back to a port under the same protocol. */
    @FuzzTest(maxDuration = "30s")
    void parsesAnything(byte[] data) {
        Services s = Services.parse(data);
        for (int port = 0; port < 65536; port += 1) {
            String name = s.name(port, "tcp");
            if (name != null) {
                assertThat(s.port(name, "tcp")).isBetween(0, 65535);
            }
        }
    }
}
