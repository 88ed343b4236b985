package dev.netwarden.linux.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a {@link SocketFilter} on a packet with the kernel's classic BPF semantics for the opcodes
 * {@link SocketFilter} names: loads are big-endian, a load past the end drops the packet (returns
 * 0), jumps are relative. Lets the filters' tests run recorded packets without root; their live
 * tests show the kernel agrees.
 */
public final class SocketFilterInterpreter {
    private SocketFilterInterpreter() {
    }

    /** The number of bytes the program keeps of {@code p}: 0 is a drop. */
    public static int run(SocketFilter program, byte[] p) {
        int a = 0;
        int x = 0;
        for (int pc = 0; pc < program.size(); pc++) {
            SocketFilter.Instruction in = program.get(pc);
            switch (in.code()) {
                case SocketFilter.LD_W_ABS -> {
                    if (!inside(p, in.k(), 4)) {
                        return 0;
                    }
                    a = ByteBuffer.wrap(p, in.k(), 4).order(ByteOrder.BIG_ENDIAN).getInt();
                }
                case SocketFilter.LD_H_ABS, SocketFilter.LD_H_IND -> {
                    int at = in.k() + (in.code() == SocketFilter.LD_H_IND ? x : 0);
                    if (!inside(p, at, 2)) {
                        return 0;
                    }
                    a = ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
                }
                case SocketFilter.LD_B_ABS -> {
                    if (!inside(p, in.k(), 1)) {
                        return 0;
                    }
                    a = p[in.k()] & 0xFF;
                }
                case SocketFilter.LDX_B_MSH -> {
                    if (!inside(p, in.k(), 1)) {
                        return 0;
                    }
                    x = 4 * (p[in.k()] & 0xF);
                }
                case SocketFilter.MISC_TAX -> x = a;
                case SocketFilter.ALU_AND_K -> a &= in.k();
                case SocketFilter.JMP_JEQ_K -> pc += a == in.k() ? in.jt() : in.jf();
                case SocketFilter.JMP_JEQ_X -> pc += a == x ? in.jt() : in.jf();
                case SocketFilter.JMP_JSET_K -> pc += (a & in.k()) != 0 ? in.jt() : in.jf();
                case SocketFilter.RET_K -> {
                    return in.k();
                }
                default -> throw new AssertionError("opcode not in the interpreter: " + in.code());
            }
        }
        throw new AssertionError("program fell off its end");
    }

    private static boolean inside(byte[] p, int at, int length) {
        return at >= 0 && at + length <= p.length;
    }
}
