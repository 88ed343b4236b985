package dev.netwarden.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls into glibc, each capturing errno. Methods return the raw result (negative on failure)
 * and leave the errno in the caller's {@link CallState}, so hot loops (one readlinkat per fd of every
 * process) neither allocate nor throw; setup paths turn a failure into an exception with {@link #check}.
 *
 * <p>Why a per-thread {@code CallState} and not one shared buffer: the kernel writes errno per
 * thread, and the daemon reads /proc and netlink from several threads at once.
 */
public final class Libc {
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SO_RCVTIMEO = 20;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;
    public static final int NETLINK_NO_ENOBUFS = 5;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_TRUNC = 0x20;
    public static final int O_RDONLY = 0;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int AT_FDCWD = -100;
    public static final int CLONE_NEWNET = 0x40000000;
    /** Socket options of AF_PACKET sockets (linux/if_packet.h) and classic BPF (asm-generic/socket.h). */
    public static final int SOL_PACKET = 263;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_IGNORE_OUTGOING = 23;
    public static final int SO_ATTACH_FILTER = 26;
    /** Every protocol, for an AF_PACKET socket (linux/if_ether.h); pass it in network byte order. */
    public static final int ETH_P_ALL = 0x0003;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /**
     * Every call goes through one downcall, glibc's {@code syscall(number, ...)}, instead of one per
     * function. Why: the JDK links each distinct function shape by spinning a stub class with the
     * ClassFile API and a native invoker, which the AOT cache does not keep: 2-4 ms per shape on a cold
     * JVM plus the C1 compilations of the ClassFile code that this triggers, paid by every short command
     * (conns linked 12 shapes on two threads). One shape is linked once, on first use. glibc's
     * {@code syscall} also returns -1 and sets errno on failure, like the named wrappers did.
     * Pointers are passed as addresses ({@link #address}), which must be native memory that the caller
     * keeps reachable for the call ({@link Reference#reachabilityFence} in each method).
     */
    private static final class Syscall {
        static final MethodHandle H = downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
    }

    private static final SyscallNumbers NR = SyscallNumbers.forArch(System.getProperty("os.arch"));

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... more) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static long syscall(CallState st, int number, long a, long b, long c, long d, long e, long f) {
        if (number < 0) {
            throw new UnsupportedOperationException("system calls on " + System.getProperty("os.arch")
                    + ": netwarden knows the numbers of x86_64 and of the generic table (aarch64, riscv64, loongarch64)");
        }
        try {
            return (long) Syscall.H.invokeExact(st.segment, (long) number, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The address of a native segment, for a pointer argument (the kernel cannot see the Java heap). */
    private static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a heap segment cannot be passed to the kernel: " + segment);
        }
        return segment.address();
    }

    /** Where a downcall leaves its errno. One per thread; never shared between threads. */
    public static final class CallState {
        private final MemorySegment segment;

        public CallState(Arena arena) {
            this.segment = arena.allocate(CAPTURE_LAYOUT);
        }

        /** The errno of the last failed call made with this state. */
        public int errno() {
            return (int) ERRNO.get(segment, 0L);
        }
    }

    private static final ThreadLocal<CallState> STATE = ThreadLocal.withInitial(() -> new CallState(Arena.ofAuto()));

    /** This thread's call state, for callers that do not keep their own. */
    public static CallState state() {
        return STATE.get();
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }

    public static int socket(CallState st, int domain, int type, int protocol) {
        return (int) syscall(st, NR.socket(), domain, type, protocol, 0, 0, 0);
    }

    public static int bind(CallState st, int fd, MemorySegment addr, int len) {
        int r = (int) syscall(st, NR.bind(), fd, address(addr), len, 0, 0, 0);
        Reference.reachabilityFence(addr);
        return r;
    }

    public static long sendto(CallState st, int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        long r = syscall(st, NR.sendto(), fd, address(buf), len, flags, address(addr), addrLen);
        Reference.reachabilityFence(buf);
        Reference.reachabilityFence(addr);
        return r;
    }

    /** send(2): for a socket with a default destination (a netlink socket's is the kernel). */
    public static long send(CallState st, int fd, MemorySegment buf, long len, int flags) {
        long r = syscall(st, NR.sendto(), fd, address(buf), len, flags, 0, 0);
        Reference.reachabilityFence(buf);
        return r;
    }

    public static long recv(CallState st, int fd, MemorySegment buf, long len, int flags) {
        long r = syscall(st, NR.recvfrom(), fd, address(buf), len, flags, 0, 0);
        Reference.reachabilityFence(buf);
        return r;
    }

    /**
     * recvfrom(2): as {@link #recv}, and the sender's address into {@code addr}; {@code addrLen} holds
     * its size on entry and the size written on return.
     */
    public static long recvfrom(CallState st, int fd, MemorySegment buf, long len, int flags, MemorySegment addr,
                                MemorySegment addrLen) {
        long r = syscall(st, NR.recvfrom(), fd, address(buf), len, flags, address(addr), address(addrLen));
        Reference.reachabilityFence(buf);
        Reference.reachabilityFence(addr);
        Reference.reachabilityFence(addrLen);
        return r;
    }

    public static int close(CallState st, int fd) {
        return (int) syscall(st, NR.close(), fd, 0, 0, 0, 0, 0);
    }

    public static int setsockopt(CallState st, int fd, int level, int name, MemorySegment value, int len) {
        int r = (int) syscall(st, NR.setsockopt(), fd, level, name, address(value), len, 0);
        Reference.reachabilityFence(value);
        return r;
    }

    /** setsockopt with an int value. */
    public static int setsockoptInt(CallState st, int fd, int level, int name, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocateFrom(JAVA_INT, value);
            return setsockopt(st, fd, level, name, v, 4);
        }
    }

    /**
     * getsockopt(2): {@code lenPtr} holds the size of {@code value} on entry and the size written on
     * return. Added for PACKET_STATISTICS (the DNS sniffer's kernel drop counter).
     */
    public static int getsockopt(CallState st, int fd, int level, int name, MemorySegment value, MemorySegment lenPtr) {
        int r = (int) syscall(st, NR.getsockopt(), fd, level, name, address(value), address(lenPtr), 0);
        Reference.reachabilityFence(value);
        Reference.reachabilityFence(lenPtr);
        return r;
    }

    public static int getsockname(CallState st, int fd, MemorySegment addr, MemorySegment lenPtr) {
        int r = (int) syscall(st, NR.getsockname(), fd, address(addr), address(lenPtr), 0, 0, 0);
        Reference.reachabilityFence(addr);
        Reference.reachabilityFence(lenPtr);
        return r;
    }

    /** openat(2); {@code path} must be a NUL-terminated C string. */
    public static int openat(CallState st, int dirFd, MemorySegment path, int flags) {
        int r = (int) syscall(st, NR.openat(), dirFd, address(path), flags, 0, 0, 0);
        Reference.reachabilityFence(path);
        return r;
    }

    public static long getdents64(CallState st, int fd, MemorySegment buf, long len) {
        long r = syscall(st, NR.getdents64(), fd, address(buf), len, 0, 0, 0);
        Reference.reachabilityFence(buf);
        return r;
    }

    /** readlinkat(2); {@code path} must be a NUL-terminated C string. Returns bytes written (no NUL). */
    public static long readlinkat(CallState st, int dirFd, MemorySegment path, MemorySegment buf, long len) {
        long r = syscall(st, NR.readlinkat(), dirFd, address(path), address(buf), len, 0, 0);
        Reference.reachabilityFence(path);
        Reference.reachabilityFence(buf);
        return r;
    }

    public static final int PROT_READ = 1;
    public static final int MAP_PRIVATE = 2;

    /**
     * mmap(NULL, length, prot, flags, fd, offset): the mapping as a segment of {@code length} bytes, or
     * null with errno set. Unmap it with {@link #munmap}; nothing else frees it.
     */
    public static MemorySegment mmap(CallState st, long length, int prot, int flags, int fd, long offset) {
        long p = syscall(st, NR.mmap(), 0, length, prot, flags, fd, offset);
        return p == -1L ? null : MemorySegment.ofAddress(p).reinterpret(length);
    }

    public static int munmap(CallState st, MemorySegment mapping) {
        return (int) syscall(st, NR.munmap(), address(mapping), mapping.byteSize(), 0, 0, 0, 0);
    }

    /**
     * bpf(cmd, attr, size): a new fd or 0 on success, -1 with errno on failure.
     *
     * @throws UnsupportedOperationException on an architecture whose system call numbers are not known here
     */
    public static int bpf(CallState st, int cmd, MemorySegment attr, int size) {
        int r = (int) syscall(st, NR.bpf(), cmd, address(attr), size, 0, 0, 0);
        Reference.reachabilityFence(attr);
        return r;
    }

    public static long read(CallState st, int fd, MemorySegment buf, long len) {
        long r = syscall(st, NR.read(), fd, address(buf), len, 0, 0, 0);
        Reference.reachabilityFence(buf);
        return r;
    }

    public static long write(CallState st, int fd, MemorySegment buf, long len) {
        long r = syscall(st, NR.write(), fd, address(buf), len, 0, 0, 0);
        Reference.reachabilityFence(buf);
        return r;
    }

    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    /** eventfd(2) (the eventfd2 system call): a new fd or -1 with errno. */
    public static int eventfd(CallState st, int initialValue, int flags) {
        return (int) syscall(st, NR.eventfd2(), initialValue, flags, 0, 0, 0, 0);
    }

    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    /**
     * ppoll(2) with no signal mask: {@code fds} holds {@code nfds} struct pollfd (int fd, short events,
     * short revents); {@code timeout} is a struct timespec, or {@link MemorySegment#NULL} to wait
     * without a limit. The number of ready fds, 0 on timeout, -1 with errno.
     */
    public static int ppoll(CallState st, MemorySegment fds, int nfds, MemorySegment timeout) {
        int r = (int) syscall(st, NR.ppoll(), address(fds), nfds, address(timeout), 0, 8, 0);
        Reference.reachabilityFence(fds);
        Reference.reachabilityFence(timeout);
        return r;
    }

    /**
     * setns(2): moves the <em>calling thread</em> into the namespace {@code fd} refers to (for
     * {@link #CLONE_NEWNET}, a file under /run/netns or /proc/PID/ns/net). Other threads stay where they are.
     */
    public static int setns(CallState st, int fd, int nstype) {
        return (int) syscall(st, NR.setns(), fd, nstype, 0, 0, 0, 0);
    }

    /** The effective uid of this process. */
    public static int geteuid() {
        return (int) syscall(state(), NR.geteuid(), 0, 0, 0, 0, 0, 0);
    }

    /** Throws {@link ErrnoException} when {@code result} is negative. */
    public static long check(CallState st, String call, long result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, st.errno());
        }
        return result;
    }

}
