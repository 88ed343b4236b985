package dev.netwarden.monitor;

import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecentCookiesTest {
    @Test
    void holdsExactlyTheLastCapacityCookiesLikeAnInsertionOrderedSet() {
        for (int capacity : new int[]{1, 2, 3, 7, 64, 1000}) {
            Random random = new Random(capacity);
            RecentCookies cookies = new RecentCookies(capacity);
            LinkedHashSet<Long> model = new LinkedHashSet<>();
            for (int op = 0; op < 20_000; op++) {
                // Small ranges force collisions, repeats and long probe runs; large ones real cookies.
                long cookie = random.nextBoolean() ? random.nextInt(3 * capacity + 3) : random.nextLong();
                cookies.add(cookie);
                if (cookie != 0 && model.add(cookie) && model.size() > capacity) {
                    Iterator<Long> oldest = model.iterator();
                    oldest.next();
                    oldest.remove();
                }
                long probe = random.nextBoolean() ? random.nextInt(3 * capacity + 3) : cookie;
                assertThat(cookies.contains(probe)).as("capacity %d op %d cookie %d", capacity, op, probe)
                        .isEqualTo(model.contains(probe));
                assertThat(cookies.size()).isEqualTo(model.size());
            }
            for (long held : model) {
                assertThat(cookies.contains(held)).isTrue();
            }
        }
    }

    @Test
    void zeroIsNeverHeld() {
        RecentCookies cookies = new RecentCookies(4);
        cookies.add(0);
        assertThat(cookies.contains(0)).isFalse();
        assertThat(cookies.size()).isZero();
    }
}
