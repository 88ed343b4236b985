package dev.netwarden.linux.bpf;

import org.junit.jupiter.api.Test;

import static dev.netwarden.linux.bpf.EbpfAssembler.R0;
import static dev.netwarden.linux.bpf.EbpfAssembler.R1;
import static dev.netwarden.linux.bpf.EbpfAssembler.R10;
import static dev.netwarden.linux.bpf.EbpfAssembler.R2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EbpfAssemblerTest {
    @Test
    void encodesAsTheKernelLaysOutStructBpfInsn() {
        long[] p = new EbpfAssembler()
                .mov(R2, R10)                                   // bf a2 00 00 00000000
                .addImm(R2, -16)                                // 07 02 00 00 f0ffffff
                .load(EbpfAssembler.Size.HALF, 3, R2, 0x40)     // 69 23 40 00 00000000
                .store(EbpfAssembler.Size.WORD, R10, -12, 5)    // 63 5a f4 ff 00000000
                .call(127)                                      // 85 00 00 00 7f000000
                .movImm(R0, 0)
                .exit()
                .build();
        assertThat(p[0]).isEqualTo(0x00000000_0000a2bfL);
        assertThat(p[1]).isEqualTo(0xfffffff0_00000207L);
        assertThat(p[2]).isEqualTo(0x00000000_00402369L);
        assertThat(p[3]).isEqualTo(0x00000000_fff45a63L);
        assertThat(p[4]).isEqualTo(0x0000007f_00000085L);
        assertThat(p[6] & 0xff).isEqualTo(0x95);
    }

    @Test
    void aMapLoadIsTwoSlotsWithTheFdAsImmediateAndJumpsCountBoth() {
        long[] p = new EbpfAssembler()
                .jumpIfEqual(EbpfAssembler.R1, 0, "out")
                .loadMap(EbpfAssembler.R1, 42)
                .label("out")
                .movImm(EbpfAssembler.R0, 0)
                .exit()
                .build();
        assertThat(p).hasSize(5);
        assertThat(p[1]).isEqualTo(0x18L | 0x1L << 8 | 0x1L << 12 | 42L << 32); // ld_imm64 r1, map fd 42 (src = 1)
        assertThat(p[2]).isZero();                                               // its second half
        assertThat((p[0] >>> 16) & 0xffff).as("the jump skips both slots").isEqualTo(2);
    }

    @Test
    void forwardJumpsResolveToRelativeOffsets() {
        long[] p = new EbpfAssembler()
                .jumpIfEqual(R1, 0, "out")     // 0 -> 3: offset 2
                .jumpIfNotEqual(R1, 7, "out")  // 1 -> 3: offset 1
                .movImm(R0, 1)
                .label("out")
                .exit()
                .build();
        assertThat((short) (p[0] >>> 16)).isEqualTo((short) 2);
        assertThat(p[0] & 0xff).isEqualTo(0x15);
        assertThat((short) (p[1] >>> 16)).isEqualTo((short) 1);
        assertThat(p[1] >>> 32).isEqualTo(7);
        assertThat(p[1] & 0xff).isEqualTo(0x55);
    }

    @Test
    void mistakesFailAtBuildNotInTheVerifier() {
        assertThatThrownBy(() -> new EbpfAssembler().jumpIfEqual(R1, 0, "nowhere").exit().build())
                .hasMessageContaining("undefined label nowhere");
        assertThatThrownBy(() -> new EbpfAssembler().label("back").movImm(R0, 0).jumpIfEqual(R1, 0, "back").exit().build())
                .hasMessageContaining("only forward jumps");
        assertThatThrownBy(() -> new EbpfAssembler().movImm(R0, 0).build()).hasMessageContaining("exit");
        assertThatThrownBy(() -> new EbpfAssembler().label("a").label("a")).hasMessageContaining("twice");
        assertThatThrownBy(() -> new EbpfAssembler().mov(11, 0)).hasMessageContaining("no register");
        assertThatThrownBy(() -> new EbpfAssembler().load(EbpfAssembler.Size.WORD, R0, R1, 40_000)).hasMessageContaining("16 bits");
    }
}
