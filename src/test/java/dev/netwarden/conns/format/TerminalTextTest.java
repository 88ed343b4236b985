package dev.netwarden.conns.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String s = "nginx: worker process /usr/sbin/nginx — ünïcödé 日本";
        assertThat(TerminalText.sanitize(s)).isSameAs(s);
        assertThat(TerminalText.isSafe(s)).isTrue();
    }

    @Test
    void ansiEscapeInjectionIsNeutralized() {
        String attack = "ok\u001b[2J\u001b]0;owned\u0007\u001b[1A";
        assertThat(TerminalText.sanitize(attack)).isEqualTo("ok\\x1b[2J\\x1b]0;owned\\x07\\x1b[1A");
    }

    @Test
    void bidiOverrideIsShown() {
        assertThat(TerminalText.sanitize("/tmp/\u202Egnp.exe")).isEqualTo("/tmp/\\u202egnp.exe");
        assertThat(TerminalText.sanitize("a\u2066b\u2069c\u200Bd")).isEqualTo("a\\u2066b\\u2069c\\u200bd");
    }

    @Test
    void c0DelC1AndSeparators() {
        assertThat(TerminalText.sanitize("a\tb\nc\rd\u0000e\u007ff\u009bg\u0085h\u2028i"))
                .isEqualTo("a\\x09b\\x0ac\\x0dd\\x00e\\x7ff\\u009bg\\u0085h\\u2028i");
    }

    @Test
    void surrogates() {
        assertThat(TerminalText.sanitize("emoji \uD83D\uDE00")).isEqualTo("emoji \uD83D\uDE00");
        assertThat(TerminalText.sanitize("lone \uD83D x")).isEqualTo("lone \\ud83d x");
        assertThat(TerminalText.sanitize("lone \uDE00")).isEqualTo("lone \\ude00");
        assertThat(TerminalText.sanitize("tag \uDB40\uDC01")).as("U+E0001 is a format character")
                .isEqualTo("tag \\udb40\\udc01");
    }

    @Test
    void appendSanitizes() {
        StringBuilder sb = new StringBuilder("x=");
        TerminalText.append(sb, "\u001bz");
        assertThat(sb).hasToString("x=\\x1bz");
    }
}
