package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

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
    void rejectsRelativeOrEmpty() {
        for (String bad : new String[]{"", " (deleted)", "sleep", "socket:[1]"}) {
            assertThatThrownBy(() -> ExeLink.parse(bad)).as(bad).isInstanceOf(MalformedProcFileException.class);
        }
    }
}
