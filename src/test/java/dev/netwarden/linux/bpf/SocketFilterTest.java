package dev.netwarden.linux.bpf;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;

import static dev.netwarden.linux.bpf.SocketFilter.ALU_AND_K;
import static dev.netwarden.linux.bpf.SocketFilter.JMP_JEQ_K;
import static dev.netwarden.linux.bpf.SocketFilter.JMP_JEQ_X;
import static dev.netwarden.linux.bpf.SocketFilter.JMP_JSET_K;
import static dev.netwarden.linux.bpf.SocketFilter.LDX_B_MSH;
import static dev.netwarden.linux.bpf.SocketFilter.LD_B_ABS;
import static dev.netwarden.linux.bpf.SocketFilter.LD_H_IND;
import static dev.netwarden.linux.bpf.SocketFilter.LD_W_ABS;
import static dev.netwarden.linux.bpf.SocketFilter.MISC_TAX;
import static dev.netwarden.linux.bpf.SocketFilter.RET_K;
import static dev.netwarden.linux.bpf.SocketFilter.jump;
import static dev.netwarden.linux.bpf.SocketFilter.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketFilterTest {
    @Test
    void jumpsAreStoredRelativeToTheNextInstruction() {
        SocketFilter f = SocketFilter.of(
                op(LD_B_ABS, 0),                //  0
                jump(1, JMP_JEQ_K, 7, 3, 2),    //  1: 7 ? 3 : 2
                op(RET_K, 0),                   //  2
                op(RET_K, 100));                //  3
        assertThat(f.get(1)).isEqualTo(new SocketFilter.Instruction(JMP_JEQ_K, 1, 0, 7));
        assertThat(SocketFilterInterpreter.run(f, new byte[] {7})).isEqualTo(100);
        assertThat(SocketFilterInterpreter.run(f, new byte[] {8})).isZero();
        assertThat(SocketFilterInterpreter.run(f, new byte[0])).as("a load past the end drops").isZero();
    }

    @Test
    void theInterpreterKnowsEveryOpcodeTheFiltersUse() {
        // X = 4 * (byte 0 & 0xf); A = u16 at X; A &= 0xff00; A == 0x1200 ? (A = u32 at 2; high bit ? drop; X = A; A = u32 at 2; A == X ? keep)
        SocketFilter f = SocketFilter.of(
                op(LDX_B_MSH, 0),                        //  0
                op(LD_H_IND, 0),                         //  1
                op(ALU_AND_K, 0xFF00),                   //  2
                jump(3, JMP_JEQ_K, 0x1200, 4, 10),       //  3
                op(LD_W_ABS, 2),                         //  4
                jump(5, JMP_JSET_K, 0x80000000, 10, 6),  //  5: high bit set: drop
                op(MISC_TAX, 0),                         //  6
                op(LD_W_ABS, 2),                         //  7
                jump(8, JMP_JEQ_X, 0, 9, 10),            //  8
                op(RET_K, 42),                           //  9
                op(RET_K, 0));                           // 10
        byte[] p = {0x01, 0, 0, 0, 0x12, 0x34, 0, 1};
        assertThat(SocketFilterInterpreter.run(f, p)).isEqualTo(42);
        p[2] = (byte) 0x80;
        assertThat(SocketFilterInterpreter.run(f, p)).as("high bit").isZero();
        p[2] = 0;
        p[4] = 0x13;
        assertThat(SocketFilterInterpreter.run(f, p)).isZero();
    }

    @Test
    void refusesWhatTheKernelWouldNotAttach() {
        assertThatThrownBy(() -> SocketFilter.of()).hasMessageContaining("1..4096");
        assertThatThrownBy(() -> new SocketFilter(Collections.nCopies(4097, op(RET_K, 0)))).hasMessageContaining("1..4096");
        assertThatThrownBy(() -> SocketFilter.of(op(LD_B_ABS, 0))).hasMessageContaining("must return");
        assertThatThrownBy(() -> SocketFilter.of(jump(0, JMP_JEQ_K, 1, 1, 3), op(RET_K, 0), op(RET_K, 1)))
                .hasMessageContaining("instruction 0 jumps to 3");
        assertThatThrownBy(() -> SocketFilter.of(jump(0, JMP_JEQ_K, 1, 1, 0), op(RET_K, 0)))
                .as("backwards").hasMessageContaining("jumps to 0");
        assertThatThrownBy(() -> SocketFilter.of(new SocketFilter.Instruction(LD_B_ABS, 1, 0, 0), op(RET_K, 0)))
                .hasMessageContaining("not a jump");
        SocketFilter.Instruction[] far = new SocketFilter.Instruction[300];
        far[0] = jump(0, JMP_JEQ_K, 0, 299, 1);
        for (int i = 1; i < far.length; i++) {
            far[i] = op(RET_K, i);
        }
        assertThatThrownBy(() -> SocketFilter.of(far)).hasMessageContaining("more than 255");
    }

    @Test
    void sockFprogHoldsTheInstructionsAsStructSockFilter() {
        SocketFilter f = SocketFilter.of(op(LD_W_ABS, 36), jump(1, JMP_JEQ_K, 0x01000000, 2, 3), op(RET_K, 0xFFFF), op(RET_K, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fprog = f.sockFprog(arena);
            assertThat(fprog.byteSize()).isEqualTo(16);
            assertThat(fprog.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) f.size());
            MemorySegment filters = fprog.get(ValueLayout.ADDRESS, 8).reinterpret(8L * f.size());
            for (int i = 0; i < f.size(); i++) {
                SocketFilter.Instruction in = f.get(i);
                assertThat(Short.toUnsignedInt(filters.get(ValueLayout.JAVA_SHORT, 8L * i))).isEqualTo(in.code());
                assertThat(Byte.toUnsignedInt(filters.get(ValueLayout.JAVA_BYTE, 8L * i + 2))).isEqualTo(in.jt());
                assertThat(Byte.toUnsignedInt(filters.get(ValueLayout.JAVA_BYTE, 8L * i + 3))).isEqualTo(in.jf());
                assertThat(filters.get(ValueLayout.JAVA_INT, 8L * i + 4)).isEqualTo(in.k());
            }
            assertThat(Byte.toUnsignedInt(filters.get(ValueLayout.JAVA_BYTE, 8 + 2))).isZero();
            assertThat(Byte.toUnsignedInt(filters.get(ValueLayout.JAVA_BYTE, 8 + 3))).isEqualTo(1);
        }
    }
}
