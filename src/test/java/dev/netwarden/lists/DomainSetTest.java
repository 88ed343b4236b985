package dev.netwarden.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainSetTest {

    static DomainSet of(String... names) {
        DomainSet.Builder b = new DomainSet.Builder();
        for (String n : names) {
            byte[] bytes = n.getBytes(StandardCharsets.US_ASCII);
            b.add(bytes, bytes.length);
        }
        return b.build();
    }

    @Test
    void anEntryCoversItsSubdomainsOnly() {
        DomainSet set = of("ads.example.com", "tracker.net");
        assertThat(set.contains("ads.example.com")).isTrue();
        assertThat(set.contains("x.ads.example.com")).isTrue();
        assertThat(set.contains("a.b.c.ads.example.com")).isTrue();
        assertThat(set.contains("ADS.Example.COM.")).isTrue();
        assertThat(set.contains("example.com")).isFalse();
        assertThat(set.contains("badads.example.com")).isFalse();
        assertThat(set.contains("ads.example.com.evil")).isFalse();
        assertThat(set.contains("ads.example.co")).isFalse();
        assertThat(set.contains("com")).isFalse();
        assertThat(set.contains("")).isFalse();
        assertThat(set.contains(".")).isFalse();
        assertThat(set.contains("ads.exämple.com")).isFalse();
        assertThat(set.contains("sub.tracker.net")).isTrue();
        assertThat(set.contains("nottracker.net")).isFalse();
        assertThat(set.contains(".tracker.net")).isTrue(); // an empty first label still ends in a listed suffix
    }

    /** Fuzz findings: a listed suffix decides, whatever is left of it. */
    @Test
    void aListedSuffixMatchesWhateverIsLeftOfIt() {
        DomainSet set = of("ads.example");
        assertThat(set.contains("ü.ads.example")).isTrue();
        assertThat(set.contains("x".repeat(300) + ".ads.example")).isTrue();
        assertThat(set.contains("ads.exämple")).isFalse();
    }

    @Test
    void coveringNamesEveryMatchingEntryBroadestFirst() {
        DomainSet set = of("example.com", "ads.example.com", "x.ads.example.com");
        assertThat(set.covering("y.x.ads.example.com")).containsExactly("example.com", "ads.example.com", "x.ads.example.com");
        assertThat(set.covering("other.net")).isEmpty();
    }

    @Test
    void duplicatesAreStoredOnce() {
        DomainSet.Builder b = new DomainSet.Builder();
        byte[] n = "a.example".getBytes(StandardCharsets.US_ASCII);
        assertThat(b.add(n, n.length)).isTrue();
        assertThat(b.add(n, n.length)).isFalse();
        assertThat(b.duplicates()).isEqualTo(1);
        assertThat(b.build().size()).isEqualTo(1);
    }

    /** Through several table growths: every added name is found, a similar set of other names is not. */
    @Test
    void agreesWithAHashSetOnRandomNames() {
        Random random = new Random(42);
        Set<String> names = new HashSet<>();
        DomainSet.Builder b = new DomainSet.Builder();
        for (int i = 0; i < 50_000; i++) {
            String name = randomName(random);
            names.add(name);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            b.add(bytes, bytes.length);
        }
        DomainSet set = b.build();
        assertThat(set.size()).isEqualTo(names.size());
        for (String n : names) {
            assertThat(set.contains(n)).as(n).isTrue();
        }
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String probe = randomName(random);
            boolean expected = false;
            for (String suffix = probe; ; suffix = suffix.substring(suffix.indexOf('.') + 1)) {
                if (names.contains(suffix)) {
                    expected = true;
                    break;
                }
                if (suffix.indexOf('.') < 0) {
                    break;
                }
            }
            if (set.contains(probe) != expected) {
                misses.add(probe);
            }
        }
        assertThat(misses).isEmpty();
    }

    private static String randomName(Random random) {
        int labels = 2 + random.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < labels; l++) {
            if (l > 0) {
                sb.append('.');
            }
            int len = 1 + random.nextInt(l == labels - 1 ? 2 : 4);
            for (int i = 0; i < len; i++) {
                sb.append((char) ('a' + random.nextInt(3)));
            }
        }
        return sb.toString();
    }
}
