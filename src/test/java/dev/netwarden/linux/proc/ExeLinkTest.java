package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExeLinkTest {
    @Test
    void plainAndDeleted() {
        assertThat(ExeLink.parse("/usr/bin/python3.11")).isEqualTo(new ExeLink("/usr/bin/python3.11", false));
        assertThat(ExeLink.parse("/tmp/x/a b) c (deleted)")).isEqualTo(new ExeLink("/tmp/x/a b) c", true));
        assertThat(ExeLink.parse("/memfd:payload (deleted)")).isEqualTo(new ExeLink("/memfd:payload", true));
    }

    @Test
    void bytesAreDecodedAsUtf8WithReplacement() {
        byte[] utf8 = "/tmp/r\u00e9v k/x (deleted)".getBytes(StandardCharsets.UTF_8);
        assertThat(ExeLink.parse(utf8, utf8.length)).isEqualTo(new ExeLink("/tmp/r\u00e9v k/x", true));
        byte[] latin1 = {'/', 'r', (byte) 0xE9, 'v', '/', 'x', 'y', 'z'};
        assertThat(ExeLink.parse(latin1, 6)).isEqualTo(new ExeLink("/r\uFFFDv/x", false));
        assertThatThrownBy(() -> ExeLink.parse(latin1, 9)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void rejectsRelativeOrEmpty() {
        for (String bad : new String[]{"", " (deleted)", "sleep", "socket:[1]"}) {
            assertThatThrownBy(() -> ExeLink.parse(bad)).as(bad).isInstanceOf(MalformedProcFileException.class);
        }
    }
}
