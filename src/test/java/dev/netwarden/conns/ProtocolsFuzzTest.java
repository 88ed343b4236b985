package dev.netwarden.conns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

class ProtocolsFuzzTest {

    /**
     * Any bytes parse (never throw), and every name found is a non-empty word: no blank, no '#', no line
     * break, which would break the table's row or column.
     */
    @FuzzTest(maxDuration = "30s")
    void parsesAnything(byte[] data) {
        Protocols p = Protocols.parse(data);
        for (int number = -1; number <= 256; number++) {
            String name = p.name(number);
            if (name != null) {
                assertThat(number).isBetween(0, 255);
                assertThat(name).isNotEmpty().doesNotContain(" ", "\t", "\n", "\r", "#");
            }
        }
    }
}
