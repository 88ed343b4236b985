package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import static dev.netwarden.linux.proc.Fixtures.ascii;
import static dev.netwarden.linux.proc.Fixtures.real;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcStatParserTest {
    @Test
    void readsInit() {
        ProcStat stat = ProcStatParser.parse(real("init.stat"));
        assertThat(stat.comm()).isEqualTo("process_api");
        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.ppid()).isZero();
        assertThat(stat.startTicks()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void readsKernelThread() {
        ProcStat stat = ProcStatParser.parse(real("kthreadd.stat"));
        assertThat(stat).isEqualTo(new ProcStat("kthreadd", 'S', 0, 24));
    }

    @Test
    void commWithSpacesAndParenthesesIsReadUpToTheLastParenthesis() {
        // recorded from /bin/sleep copied to a file named "a b) c"
        ProcStat stat = ProcStatParser.parse(real("comm-with-paren.stat"));
        assertThat(stat).isEqualTo(new ProcStat("a b) c", 'S', 1, 35578));
    }

    @Test
    void commThatLooksLikeFields() {
        byte[] b = ascii("7 (x) R 99 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 1 2 3) S 42 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 777 9\n");
        assertThat(ProcStatParser.parse(b)).isEqualTo(new ProcStat("x) R 99 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 1 2 3", 'S', 42, 777));
    }

    @Test
    void lengthLimitsWhatIsRead() {
        byte[] b = real("kthreadd.stat");
        byte[] padded = java.util.Arrays.copyOf(b, b.length + 10);
        assertThat(ProcStatParser.parse(padded, b.length).startTicks()).isEqualTo(24);
    }

    @Test
    void rejectsBadInput() {
        for (String bad : new String[]{"", "1 x S", "1 (x)", "1 (x) S", "1 (x) SS 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
                "1 (x) S -1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "1 (x) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
                "1 (x) S 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 99999999999999999999", "1 (x) S 1  1 1",
                "1 (x) S 99999999999 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", ") (x"}) {
            assertThatThrownBy(() -> ProcStatParser.parse(ascii(bad))).as(bad).isInstanceOf(MalformedProcFileException.class);
        }
    }
}
