package dev.netwarden.linux.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;

/**
 * A classic BPF program, as {@code setsockopt(SO_ATTACH_FILTER)} takes it. Programs are written as a
 * list of {@link #op} and {@link #jump} with absolute jump targets (easier to read and to check
 * against a comment per line than the kernel's relative offsets). The constructor refuses what the
 * kernel would refuse at attach time (too long, a jump out of the program or beyond 255, no final
 * return), so a broken program fails in a unit test rather than in the daemon's start. Immutable.
 */
public record SocketFilter(List<Instruction> instructions) {
    /** One {@code struct sock_filter}: opcode, jump-if-true, jump-if-false (relative), constant. */
    public record Instruction(int code, int jt, int jf, int k) {
    }

    // opcodes (linux/bpf_common.h, linux/filter.h)
    public static final int LD_W_ABS = 0x20;   // A = big-endian u32 at [k]
    public static final int LD_H_ABS = 0x28;   // A = big-endian u16 at [k]
    public static final int LD_B_ABS = 0x30;   // A = byte at [k]
    public static final int LD_H_IND = 0x48;   // A = big-endian u16 at [X + k]
    public static final int LDX_B_MSH = 0xB1;  // X = 4 * (byte at [k] & 0xf): the IPv4 header length
    public static final int MISC_TAX = 0x07;   // X = A
    public static final int ALU_AND_K = 0x54;  // A &= k
    public static final int JMP_JEQ_K = 0x15;  // A == k ? jt : jf
    public static final int JMP_JEQ_X = 0x1D;  // A == X ? jt : jf
    public static final int JMP_JSET_K = 0x45; // (A & k) != 0 ? jt : jf
    public static final int RET_K = 0x06;      // keep k bytes (0 = drop)

    /** BPF_MAXINSNS: the longest program the kernel attaches. */
    public static final int MAX_INSTRUCTIONS = 4096;

    private static final int JMP_CLASS = 0x05;

    public SocketFilter {
        instructions = List.copyOf(instructions);
        if (instructions.isEmpty() || instructions.size() > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("a program has 1.." + MAX_INSTRUCTIONS + " instructions, not " + instructions.size());
        }
        for (int i = 0; i < instructions.size(); i++) {
            Instruction in = instructions.get(i);
            boolean conditional = (in.code() & 0x07) == JMP_CLASS;
            if (conditional) {
                for (int offset : new int[] {in.jt(), in.jf()}) {
                    if (offset < 0 || offset > 255 || i + 1 + offset >= instructions.size()) {
                        throw new IllegalArgumentException("instruction " + i + " jumps to " + (i + 1 + offset)
                                + ", outside the program or more than 255 ahead");
                    }
                }
            } else if (in.jt() != 0 || in.jf() != 0) {
                throw new IllegalArgumentException("instruction " + i + " is not a jump but has jump offsets");
            }
        }
        if (instructions.getLast().code() != RET_K) {
            throw new IllegalArgumentException("the last instruction must return");
        }
    }

    public static SocketFilter of(Instruction... instructions) {
        return new SocketFilter(List.of(instructions));
    }

    /** An instruction that does not jump. */
    public static Instruction op(int code, int k) {
        return new Instruction(code, 0, 0, k);
    }

    /** The conditional jump at index {@code at} to index {@code ifTrue} or {@code ifFalse}. */
    public static Instruction jump(int at, int code, int k, int ifTrue, int ifFalse) {
        return new Instruction(code, ifTrue - at - 1, ifFalse - at - 1, k);
    }

    public int size() {
        return instructions.size();
    }

    public Instruction get(int index) {
        return instructions.get(index);
    }

    /**
     * A {@code struct sock_fprog} (length, padding, pointer to the {@code struct sock_filter} array)
     * in {@code arena}, ready for setsockopt(SO_ATTACH_FILTER); the kernel copies it, so the arena
     * may close after the call.
     */
    public MemorySegment sockFprog(Arena arena) {
        Objects.requireNonNull(arena, "arena is null");
        MemorySegment filters = arena.allocate(8L * instructions.size(), 8);
        for (int i = 0; i < instructions.size(); i++) {
            Instruction in = instructions.get(i);
            long at = 8L * i;
            filters.set(ValueLayout.JAVA_SHORT, at, (short) in.code());
            filters.set(ValueLayout.JAVA_BYTE, at + 2, (byte) in.jt());
            filters.set(ValueLayout.JAVA_BYTE, at + 3, (byte) in.jf());
            filters.set(ValueLayout.JAVA_INT, at + 4, in.k());
        }
        MemorySegment fprog = arena.allocate(16, 8);
        fprog.set(ValueLayout.JAVA_SHORT, 0, (short) instructions.size());
        fprog.set(ValueLayout.ADDRESS, 8, filters);
        return fprog;
    }
}
