package dev.netwarden.conns.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnixGlobTest {

    @ParameterizedTest
    @CsvSource({
            "/run/*, /run/a/b/c.sock, true",
            "/run/*.sock, /run/x.socket, false",
            "*, '', true",
            "'', '', true",
            "'', a, false",
            "/tmp/.X11-unix/*, /tmp/.X11-unix/X0, true",
            "a?c, abc, true",
            "a?c, ac, false",
            "[abc]x, bx, true",
            "[!abc]x, bx, false",
            "[^abc]x, dx, true",
            "[a-c]x, Bx, true",
            "[]]x, ]x, true",
            "[x, [x, true",
            "a\\*b, a*b, true",
            "a\\*b, axb, false",
            "*a*a*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
            "**x, abx, true",
            "@dbus*, @DBUS-abc, true",
    })
    void matches(String pattern, String name, boolean expected) {
        assertThat(UnixGlob.compile(pattern).matches(name)).isEqualTo(expected);
    }
}
