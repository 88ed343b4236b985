package dev.netwarden.linux.bpf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The program's shape; that the kernel's verifier accepts it and it reports the right sockets is TaskSocketIteratorLiveTest's. */
class TaskSocketProgramTest {
    private static int opcode(long insn) {
        return (int) (insn & 0xff);
    }

    private static int offset(long insn) {
        return (short) (insn >>> 16);
    }

    @Test
    void readsTheGivenOffsetsAndEveryEarlyExitLandsOnReturnZero() {
        long[] p = new TaskSocketProgram(2500, 40, 0, 64, 777).instructions();
        int done = p.length - 2;
        assertThat(p[done]).as("r0 = 0").isEqualTo(EbpfAssembler.encode(0xb7, 0, 0, 0, 0));
        assertThat(opcode(p[p.length - 1])).isEqualTo(0x95);
        int jumps = 0;
        for (int i = 0; i < p.length; i++) {
            int op = opcode(p[i]);
            if (op == 0x15 || op == 0x55) {
                jumps++;
                assertThat(i + 1 + offset(p[i])).as("jump at %d", i).isEqualTo(done);
            }
        }
        assertThat(jumps).isEqualTo(4);
        // the loads through kernel pointers use the offsets given
        assertThat(p).contains(EbpfAssembler.encode(0x79, 2, 8, 40, 0),  // r2 = file->f_inode
                EbpfAssembler.encode(0x69, 3, 2, 0, 0),                  // r3 = inode->i_mode
                EbpfAssembler.encode(0x79, 4, 2, 64, 0),                 // r4 = inode->i_ino
                EbpfAssembler.encode(0x61, 5, 7, 2500, 0),               // r5 = task->tgid
                EbpfAssembler.encode(0x85, 0, 0, 0, 127));               // bpf_seq_write
    }
}
