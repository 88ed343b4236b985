package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import static dev.netwarden.linux.proc.Fixtures.ascii;
import static dev.netwarden.linux.proc.Fixtures.real;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcStatusParserTest {
    @Test
    void readsRealFiles() {
        assertThat(ProcStatusParser.parseUids(real("init.status"))).isEqualTo(new ProcUids(0, 0));
        assertThat(ProcStatusParser.parseUids(real("kthreadd.status"))).isEqualTo(new ProcUids(0, 0));
        assertThat(ProcStatusParser.parseUids(real("comm-with-paren.status"))).isEqualTo(new ProcUids(0, 0));
    }

    @Test
    void realAndEffectiveDiffer() {
        byte[] b = ascii("Name:\tpasswd\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n");
        assertThat(ProcStatusParser.parseUids(b)).isEqualTo(new ProcUids(1000, 0));
    }

    @Test
    void uidsAboveTwoToThe31AreKeptAsUnsignedBits() {
        ProcUids uids = ProcStatusParser.parseUids(ascii("Uid:\t4294967294\t65534\t0\t0"));
        assertThat(Integer.toUnsignedString(uids.real())).isEqualTo("4294967294");
        assertThat(uids.effective()).isEqualTo(65534);
    }

    @Test
    void aNameThatLooksLikeAUidLineIsNotOne() {
        // Name: is escaped by the kernel, but a line must start with "Uid:" to count
        byte[] b = ascii("Name:\tUid:\t5\t5\nUid:\t7\t8\t8\t8\n");
        assertThat(ProcStatusParser.parseUids(b)).isEqualTo(new ProcUids(7, 8));
    }

    @Test
    void rejectsBadInput() {
        for (String bad : new String[]{"", "Name:\tx\n", "Uid:\n", "Uid:\t5\n", "Uid:\tx\t5", "Uid:\t4294967296\t0"}) {
            assertThatThrownBy(() -> ProcStatusParser.parseUids(ascii(bad))).as(bad).isInstanceOf(MalformedProcFileException.class);
        }
    }
}
