package dev.netwarden.top;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormattingTest {
    @Test
    void bytesAndRatesFitSixCells() {
        assertThat(Units.bytes(0)).isEqualTo("0");
        assertThat(Units.bytes(-1)).isEqualTo("-");
        assertThat(Units.bytes(999)).isEqualTo("999B");
        assertThat(Units.bytes(1000)).isEqualTo("1.0K");
        assertThat(Units.bytes(1536)).isEqualTo("1.5K");
        assertThat(Units.bytes(150_000)).isEqualTo("146K");
        assertThat(Units.bytes(1_258_291)).isEqualTo("1.2M");
        assertThat(Units.bytes(Long.MAX_VALUE)).hasSizeLessThanOrEqualTo(6);
        for (double n = 1; n < 1e15; n *= 1.7) {
            assertThat(Units.rate(n)).as("%f", n).hasSizeLessThanOrEqualTo(6);
        }
    }

    @Test
    void cellsArePaddedOrCutToTheExactWidth() {
        assertThat(Cells.fit("curl", 6, false, false)).isEqualTo("curl  ");
        assertThat(Cells.fit("12K", 6, true, false)).isEqualTo("   12K");
        assertThat(Cells.fit("chromium-browser", 8, false, false)).isEqualTo("chromiu…");
        assertThat(Cells.fit("192.168.100.200:65535", 15, false, true)).isEqualTo("192.168…0:65535");
        assertThat(Cells.fit("192.168.100.200:65535", 15, false, true)).hasSize(15);
        // Wide characters take two cells: never half of one.
        assertThat(Cells.fit("服务器进程", 6, false, false)).isEqualTo("服务… ");
        assertThat(Cells.fit("x", 0, false, false)).isEmpty();
    }
}
