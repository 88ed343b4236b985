package dev.netwarden.daemon;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HeapGuardTest {
    private static volatile Object sink;

    @Test
    void collectsOnceTheOldGenerationPassesItsThresholdAndThenFollowsTheLiveSet() throws Exception {
        HeapGuard guard = new HeapGuard();
        guard.start();
        try {
            assumeTrue((Boolean) guard.stats().get("active"), "this JVM's collector has no old-generation threshold");
            // 24 MB that lives in the old generation (large arrays go there directly, or are promoted),
            // then dropped; young collections (small garbage) make the JVM check the threshold.
            List<byte[]> old = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                old.add(new byte[4 << 20]);
            }
            sink = old;
            sink = null;
            old = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while ((Long) guard.stats().get("collections") == 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 10_000; i++) {
                    sink = new byte[256];
                }
                Thread.sleep(1);
            }
            assertThat((Long) guard.stats().get("collections")).isPositive();
            // The 24 MB were collected; the threshold is twice what stayed live (the test JVM's own
            // live set may exceed the floor), never below the floor.
            long live = (Long) guard.stats().get("last_live_bytes");
            assertThat(live).isPositive();
            long expected = Math.max(HeapGuard.FLOOR_BYTES, 2 * live);
            assertThat((Long) guard.stats().get("threshold_bytes")).isBetween(HeapGuard.FLOOR_BYTES, expected);
        } finally {
            guard.close();
        }
    }
}
