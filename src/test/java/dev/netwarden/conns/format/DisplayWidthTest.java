package dev.netwarden.conns.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DisplayWidthTest {

    @Test
    void asciiIsOneCellPerChar() {
        assertThat(DisplayWidth.of("")).isZero();
        assertThat(DisplayWidth.of("nginx: worker")).isEqualTo(13);
        assertThat(DisplayWidth.of("nginx", 5)).isEqualTo(5);
    }

    @Test
    void eastAsianWideAndFullwidthTakeTwo() {
        assertThat(DisplayWidth.of("服务器")).isEqualTo(6);
        assertThat(DisplayWidth.of("ｎｇｉｎｘ")).as("fullwidth forms").isEqualTo(10);
        assertThat(DisplayWidth.of("한국어")).as("Hangul syllables").isEqualTo(6);
        assertThat(DisplayWidth.of("カタカナ")).isEqualTo(8);
        assertThat(DisplayWidth.of("\ud840\udc00")).as("U+20000, CJK extension B: a surrogate pair, one char of 2 cells").isEqualTo(2);
        assertThat(DisplayWidth.of("\ud83d\ude00")).as("U+1F600 emoji").isEqualTo(2);
        assertThat(DisplayWidth.of("\u9fff\u3400")).as("unassigned-or-new CJK ideographs count as wide").isEqualTo(4);
    }

    @Test
    void combiningAndFormatCharactersTakeNone() {
        assertThat(DisplayWidth.of("e\u0301e\u0301")).as("decomposed é twice").isEqualTo(2);
        assertThat(DisplayWidth.of("\u20dd")).as("Me: enclosing circle").isZero();
        assertThat(DisplayWidth.of("a\u200bb")).as("Cf: zero-width space").isEqualTo(2);
        assertThat(DisplayWidth.of("\u1100\u1161\u11a8")).as("Hangul jamo L V T: one syllable of 2 cells").isEqualTo(2);
        assertThat(DisplayWidth.of("\u2764\ufe0f")).as("variation selector (Mn) adds nothing").isEqualTo(1);
    }

    @Test
    void narrowNonAsciiTakesOne() {
        assertThat(DisplayWidth.of("café")).isEqualTo(4);
        assertThat(DisplayWidth.of("Ωμέγα")).isEqualTo(5);
        assertThat(DisplayWidth.of("\u00e9\u00a0\u00bd")).isEqualTo(3);
        assertThat(DisplayWidth.of("\u4dc0")).as("Yijing hexagram: neutral, right after the wide CJK block").isEqualTo(1);
        assertThat(DisplayWidth.of("\u303f")).as("U+303F is the one narrow char in U+2E80..U+303F").isEqualTo(1);
    }

    @Test
    void byteLengthShortcutAgreesWithTheFullCount() {
        for (String s : new String[] {"abc", "服务器", "e\u0301", "\ud83d\ude00x", "a\u00e9"}) {
            assertThat(DisplayWidth.of(s, s.getBytes(StandardCharsets.UTF_8).length)).as(s).isEqualTo(DisplayWidth.of(s));
        }
    }

    @Test
    void tableTextCarriesItsWidth() {
        assertThat(TableCells.Text.of("服务器").width()).isEqualTo(6);
        assertThat(TableCells.Text.of("服务器").utf8()).hasSize(9);
        assertThat(TableCells.Text.of("e\u0301e\u0301").width()).isEqualTo(2);
    }
}
