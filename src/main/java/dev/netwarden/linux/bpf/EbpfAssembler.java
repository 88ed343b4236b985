package dev.netwarden.linux.bpf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an eBPF program ({@code struct bpf_insn}s) instruction by instruction, with named labels for
 * forward jumps so a program reads like its assembly listing. Only the instructions netwarden's
 * programs use are here. Each instruction is one little-endian u64: opcode, dst | src << 4, the
 * signed 16-bit offset, the signed 32-bit immediate ({@code include/uapi/linux/bpf.h}).
 *
 * <p>{@link #build()} refuses a jump to an undefined label, one that lands outside the program or
 * backwards (the programs here have no loops), so a mistake fails in a unit test, not in the verifier.
 */
public final class EbpfAssembler {
    /** Registers: r0 return value, r1–r5 arguments, r6–r9 callee-saved, r10 the frame pointer (read-only). */
    public static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;

    /** Memory access widths, with their size bits (BPF_B/H/W/DW). */
    public enum Size {
        BYTE(0x10, 1), HALF(0x08, 2), WORD(0x00, 4), DOUBLE(0x18, 8);

        final int bits;
        final int bytes;

        Size(int bits, int bytes) {
            this.bits = bits;
            this.bytes = bytes;
        }

        /** The width of a value of this many bytes. */
        public static Size ofBytes(int bytes) {
            for (Size s : values()) {
                if (s.bytes == bytes) {
                    return s;
                }
            }
            throw new IllegalArgumentException("no eBPF access of " + bytes + " bytes");
        }
    }

    private static final int ALU64_MOV_X = 0xbf;
    private static final int ALU64_MOV_K = 0xb7;
    private static final int ALU64_ADD_K = 0x07;
    private static final int ALU64_AND_K = 0x57;
    private static final int LDX_MEM = 0x61;  // | size bits
    private static final int STX_MEM = 0x63;  // | size bits
    private static final int JMP_JEQ_K = 0x15;
    private static final int JMP_JNE_K = 0x55;
    private static final int JMP_CALL = 0x85;
    private static final int JMP_EXIT = 0x95;
    private static final int LD_IMM64 = 0x18;
    /** ld_imm64's src register value that makes the kernel read its immediate as a map fd. */
    private static final int PSEUDO_MAP_FD = 1;

    private final List<Long> code = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private final Map<Integer, String> jumps = new HashMap<>();

    /** dst = src */
    public EbpfAssembler mov(int dst, int src) {
        return emit(ALU64_MOV_X, dst, src, 0, 0);
    }

    /** dst = imm */
    public EbpfAssembler movImm(int dst, int imm) {
        return emit(ALU64_MOV_K, dst, 0, 0, imm);
    }

    /** dst += imm */
    public EbpfAssembler addImm(int dst, int imm) {
        return emit(ALU64_ADD_K, dst, 0, 0, imm);
    }

    /** dst &= imm */
    public EbpfAssembler andImm(int dst, int imm) {
        return emit(ALU64_AND_K, dst, 0, 0, imm);
    }

    /** dst = *(size *)(src + offset) */
    public EbpfAssembler load(Size size, int dst, int src, int offset) {
        return emit(LDX_MEM | size.bits, dst, src, offset, 0);
    }

    /** *(size *)(base + offset) = src */
    public EbpfAssembler store(Size size, int base, int offset, int src) {
        return emit(STX_MEM | size.bits, base, src, offset, 0);
    }

    /**
     * dst = the map behind {@code mapFd}: the two-slot ld_imm64 whose immediate the kernel replaces with
     * the map's address when it loads the program.
     */
    public EbpfAssembler loadMap(int dst, int mapFd) {
        emit(LD_IMM64, dst, PSEUDO_MAP_FD, 0, mapFd);
        return emit(0, 0, 0, 0, 0);
    }

    /** if (reg == imm) goto label */
    public EbpfAssembler jumpIfEqual(int reg, int imm, String label) {
        jumps.put(code.size(), label);
        return emit(JMP_JEQ_K, reg, 0, 0, imm);
    }

    /** if (reg != imm) goto label */
    public EbpfAssembler jumpIfNotEqual(int reg, int imm, String label) {
        jumps.put(code.size(), label);
        return emit(JMP_JNE_K, reg, 0, 0, imm);
    }

    /** r0 = helper(r1, …, r5) */
    public EbpfAssembler call(int helper) {
        return emit(JMP_CALL, 0, 0, 0, helper);
    }

    /** return r0 */
    public EbpfAssembler exit() {
        return emit(JMP_EXIT, 0, 0, 0, 0);
    }

    /** Names the next instruction. */
    public EbpfAssembler label(String name) {
        if (labels.putIfAbsent(name, code.size()) != null) {
            throw new IllegalArgumentException("label " + name + " defined twice");
        }
        return this;
    }

    /** The program, jumps resolved to the kernel's relative offsets. */
    public long[] build() {
        long[] out = new long[code.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = code.get(i);
        }
        for (Map.Entry<Integer, String> jump : jumps.entrySet()) {
            int at = jump.getKey();
            Integer target = labels.get(jump.getValue());
            if (target == null) {
                throw new IllegalStateException("instruction " + at + " jumps to undefined label " + jump.getValue());
            }
            if (target <= at || target >= out.length) {
                throw new IllegalStateException("instruction " + at + " jumps to " + target
                        + ": only forward jumps inside the program");
            }
            out[at] = withOffset(out[at], target - at - 1);
        }
        if (out.length == 0 || (out[out.length - 1] & 0xff) != JMP_EXIT) {
            throw new IllegalStateException("the last instruction must be exit; have " + Arrays.toString(out));
        }
        return out;
    }

    private EbpfAssembler emit(int opcode, int dst, int src, int offset, int imm) {
        if (dst < 0 || dst > R10 || src < 0 || src > R10) {
            throw new IllegalArgumentException("no register r" + (dst < 0 || dst > R10 ? dst : src));
        }
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit 16 bits");
        }
        code.add(encode(opcode, dst, src, offset, imm));
        return this;
    }

    static long encode(int opcode, int dst, int src, int offset, int imm) {
        return (opcode & 0xffL) | (long) (dst & 0xf) << 8 | (long) (src & 0xf) << 12
                | (long) (offset & 0xffff) << 16 | (long) imm << 32;
    }

    private static long withOffset(long instruction, int offset) {
        return (instruction & ~(0xffffL << 16)) | (long) (offset & 0xffff) << 16;
    }
}
