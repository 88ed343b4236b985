package dev.netwarden.linux.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
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

    // One holder class per function: a downcall handle is linked when its function is first called
    // (JVM class-init semantics make that thread-safe and lock-free afterwards), so a command pays only
    // for the functions it uses. Linking costs ~2-4 ms per distinct descriptor shape (the JDK spins a
    // stub class that the AOT cache does not keep), plus ~20 ms for the first handle of the process.
    // Functions with the same shape share the stub: read and getdents64; send and recv.
    private static final class Socket {
        static final MethodHandle H = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Bind {
        static final MethodHandle H = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class SendTo {
        static final MethodHandle H = downcall("sendto",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Send {
        static final MethodHandle H = downcall("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    private static final class Recv {
        static final MethodHandle H = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    private static final class Close {
        static final MethodHandle H = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class SetSockOpt {
        static final MethodHandle H = downcall("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class GetSockOpt {
        static final MethodHandle H = downcall("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class GetSockName {
        static final MethodHandle H = downcall("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }

    private static final class OpenAt {
        // openat(int, const char *, int, ...): the mode is C-variadic, so it is declared as such.
        static final MethodHandle H = downcall("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(3));
    }

    private static final class GetDents64 {
        static final MethodHandle H = downcall("getdents64", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class ReadLinkAt {
        static final MethodHandle H = downcall("readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    }

    private static final class Read {
        static final MethodHandle H = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** syscall(2) for bpf(2), which glibc does not wrap: number, cmd, attr, size. */
    private static final class Bpf {
        static final MethodHandle H = downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(1));
    }

    private static final class Mmap {
        static final MethodHandle H = downcall("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final class Munmap {
        static final MethodHandle H = downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private static final class SetNs {
        static final MethodHandle H = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class GetEuid {
        static final MethodHandle H = LINKER.downcallHandle(LOOKUP.find("geteuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    }

    private Libc() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... more) {
        MemorySegment symbol = LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
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
        try {
            return (int) Socket.H.invokeExact(st.segment, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(CallState st, int fd, MemorySegment addr, int len) {
        try {
            return (int) Bind.H.invokeExact(st.segment, fd, addr, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long sendto(CallState st, int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            return (long) SendTo.H.invokeExact(st.segment, fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** send(2): for a socket with a default destination (a netlink socket's is the kernel). */
    public static long send(CallState st, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) Send.H.invokeExact(st.segment, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long recv(CallState st, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) Recv.H.invokeExact(st.segment, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(CallState st, int fd) {
        try {
            return (int) Close.H.invokeExact(st.segment, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(CallState st, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SetSockOpt.H.invokeExact(st.segment, fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
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
        try {
            return (int) GetSockOpt.H.invokeExact(st.segment, fd, level, name, value, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockname(CallState st, int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return (int) GetSockName.H.invokeExact(st.segment, fd, addr, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** openat(2); {@code path} must be a NUL-terminated C string. */
    public static int openat(CallState st, int dirFd, MemorySegment path, int flags) {
        try {
            return (int) OpenAt.H.invokeExact(st.segment, dirFd, path, flags, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long getdents64(CallState st, int fd, MemorySegment buf, long len) {
        try {
            return (long) GetDents64.H.invokeExact(st.segment, fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** readlinkat(2); {@code path} must be a NUL-terminated C string. Returns bytes written (no NUL). */
    public static long readlinkat(CallState st, int dirFd, MemorySegment path, MemorySegment buf, long len) {
        try {
            return (long) ReadLinkAt.H.invokeExact(st.segment, dirFd, path, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static final int PROT_READ = 1;
    public static final int MAP_PRIVATE = 2;

    /**
     * mmap(NULL, length, prot, flags, fd, offset): the mapping as a segment of {@code length} bytes, or
     * null with errno set. Unmap it with {@link #munmap}; nothing else frees it.
     */
    public static MemorySegment mmap(CallState st, long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment p = (MemorySegment) Mmap.H.invokeExact(st.segment, MemorySegment.NULL, length, prot, flags, fd, offset);
            return p.address() == -1L ? null : p.reinterpret(length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int munmap(CallState st, MemorySegment mapping) {
        try {
            return (int) Munmap.H.invokeExact(st.segment, mapping, mapping.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** bpf(2)'s number on this architecture (asm/unistd_64.h), or -1 where netwarden does not know it. */
    private static final long SYS_BPF = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 321;
        case "aarch64" -> 280;
        default -> -1;
    };

    /**
     * bpf(cmd, attr, size): a new fd or 0 on success, -1 with errno on failure.
     *
     * @throws UnsupportedOperationException on an architecture whose bpf(2) number is not known here
     */
    public static int bpf(CallState st, int cmd, MemorySegment attr, int size) {
        if (SYS_BPF < 0) {
            throw new UnsupportedOperationException("bpf(2) on " + System.getProperty("os.arch"));
        }
        try {
            return (int) (long) Bpf.H.invokeExact(st.segment, SYS_BPF, cmd, attr, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long read(CallState st, int fd, MemorySegment buf, long len) {
        try {
            return (long) Read.H.invokeExact(st.segment, fd, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * setns(2): moves the <em>calling thread</em> into the namespace {@code fd} refers to (for
     * {@link #CLONE_NEWNET}, a file under /run/netns or /proc/PID/ns/net). Other threads stay where they are.
     */
    public static int setns(CallState st, int fd, int nstype) {
        try {
            return (int) SetNs.H.invokeExact(st.segment, fd, nstype);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The effective uid of this process. */
    public static int geteuid() {
        try {
            return (int) GetEuid.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Throws {@link ErrnoException} when {@code result} is negative. */
    public static long check(CallState st, String call, long result) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(call, st.errno());
        }
        return result;
    }

}
