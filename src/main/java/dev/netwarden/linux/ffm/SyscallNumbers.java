package dev.netwarden.linux.ffm;

/**
 * The system call numbers {@link Libc} uses, for one architecture. x86_64 has its own table
 * (asm/unistd_64.h); aarch64, riscv64 and loongarch64 share the generic one (asm-generic/unistd.h).
 * On any other architecture every number is -1, and {@link Libc} refuses the call with a clear error
 * rather than making a wrong one.
 */
record SyscallNumbers(int read, int close, int openat, int getdents64, int readlinkat, int socket, int bind,
                      int getsockname, int sendto, int recvfrom, int setsockopt, int getsockopt, int mmap, int munmap,
                      int setns, int geteuid, int bpf, int write, int eventfd2, int ppoll) {

    static final SyscallNumbers X86_64 = new SyscallNumbers(0, 3, 257, 217, 267, 41, 49, 51, 44, 45, 54, 55, 9, 11,
            308, 107, 321, 1, 290, 271);
    static final SyscallNumbers GENERIC = new SyscallNumbers(63, 57, 56, 61, 78, 198, 200, 204, 206, 207, 208, 209, 222,
            215, 268, 175, 280, 64, 19, 73);
    static final SyscallNumbers UNKNOWN = new SyscallNumbers(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1);

    /** The table for a value of the {@code os.arch} system property. */
    static SyscallNumbers forArch(String osArch) {
        return switch (osArch == null ? "" : osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "riscv64", "loongarch64" -> GENERIC;
            default -> UNKNOWN;
        };
    }
}
