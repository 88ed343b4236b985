package dev.netwarden.daemon.owners;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class SocketOwnersWireFuzzTest {
    /** Any bytes from the socket decode or fail with IOException; every holder's pid has a process. */
    @FuzzTest(maxDuration = "30s")
    void decodesOrRefuses(byte[] data) {
        try {
            SocketOwners o = SocketOwnersWire.decode(data);
            o.holders().values().forEach(list -> list.forEach(h -> assertThat(o.processes()).containsKey(h.pid())));
        } catch (IOException expected) {
            // refused or malformed: conns scans /proc itself
        }
    }
}
