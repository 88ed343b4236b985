package dev.netwarden.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedRegexTest {

    @Test
    void findsUnanchored() {
        BoundedRegex r = BoundedRegex.compile("b+c", false);
        assertThat(r.find("aabbbcd")).isTrue();
        assertThat(r.find("aaa")).isFalse();
        assertThat(r.find(null)).isFalse();
        assertThat(BoundedRegex.compile("ABC", true).find("xabcx")).isTrue();
    }

    @Test
    void catastrophicBacktrackingGivesUpQuickly() {
        // Polynomial blow-up (n^12) that JDK 25's loop memoisation does not catch: without the budget
        // this runs for minutes (checked: still running after 5 s with plain java.util.regex).
        BoundedRegex r = BoundedRegex.compile("(.*,){12}X", false);
        String hostile = "a,".repeat(40);
        long t0 = System.nanoTime();
        assertThat(r.find(hostile)).isFalse();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isLessThan(1000);
        assertThat(r.exhausted()).isEqualTo(1);
        assertThat(r.find("a,".repeat(12) + "X")).as("still works on sane input").isTrue();
    }

    @Test
    void longInputIsCut() {
        BoundedRegex r = BoundedRegex.compile("needle", false);
        assertThat(r.find("x".repeat(BoundedRegex.MAX_INPUT) + "needle")).isFalse();
        assertThat(r.find("x".repeat(100) + "needle")).isTrue();
    }

    @Test
    void badPatternsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> BoundedRegex.compile("(", false)).hasMessageContaining("Unclosed group");
        assertThatThrownBy(() -> BoundedRegex.compile("", false)).hasMessageContaining("empty");
        assertThatThrownBy(() -> BoundedRegex.compile("a".repeat(2000), false)).hasMessageContaining("longer than 1024");
    }
}
