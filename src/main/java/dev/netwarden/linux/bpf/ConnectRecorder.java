package dev.netwarden.linux.bpf;

import dev.netwarden.linux.btf.Btf;
import dev.netwarden.linux.ffm.Errno;
import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.netwarden.linux.bpf.EbpfAssembler.R0;
import static dev.netwarden.linux.bpf.EbpfAssembler.R1;
import static dev.netwarden.linux.bpf.EbpfAssembler.R10;
import static dev.netwarden.linux.bpf.EbpfAssembler.R2;
import static dev.netwarden.linux.bpf.EbpfAssembler.R3;
import static dev.netwarden.linux.bpf.EbpfAssembler.R4;
import static dev.netwarden.linux.bpf.EbpfAssembler.R6;
import static dev.netwarden.linux.bpf.EbpfAssembler.Size.DOUBLE;

/**
 * Which process called {@code connect()} on a TCP socket, by the socket's cookie: a BPF program on the
 * {@code sock:inet_sock_set_state} tracepoint records, whenever a socket enters SYN-SENT, its cookie
 * and the calling process's pid in an LRU hash map; {@link #pidOf} reads it back.
 *
 * <p>Why: the kernel enters SYN-SENT inside the {@code connect()} system call, so the process running
 * then is the one that connects. A connection that opens and closes between two polls has no holder
 * left to find when its destroy notification arrives; its cookie (which that notification carries, as
 * sock_diag does) still leads to its process. The source port is not chosen yet at that point
 * ({@code tcp_v4_connect} picks it afterwards), which is why the key is the cookie, not the addresses.
 *
 * <p>Needs what {@link TaskSocketIterator} needs (root, BTF, the initial pid namespace) and a loopback
 * interface that is up in this network namespace for the self-test (a connect of its own, whose record
 * must name this process). {@link #system()} answers empty otherwise; callers then go without. The
 * program stays attached while this object is open: closing the link fd (or the process ending)
 * detaches it. It runs at every TCP state change on the machine and returns at once unless the new
 * state is SYN-SENT.
 *
 * <p>Thread-safe: each thread looks up with its own buffers. The map keeps the last
 * {@link #MAP_ENTRIES} connects; a record is only needed until the socket's first poll or its destroy.
 */
public final class ConnectRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectRecorder.class.getName());

    // bpf(2) commands and constants (include/uapi/linux/bpf.h)
    private static final int BPF_MAP_CREATE = 0;
    private static final int BPF_MAP_LOOKUP_ELEM = 1;
    private static final int BPF_RAW_TRACEPOINT_OPEN = 17;
    private static final int BPF_MAP_TYPE_LRU_HASH = 9;
    private static final int BPF_TRACE_RAW_TP = 23;
    private static final int HELPER_MAP_UPDATE_ELEM = 2;
    private static final int HELPER_GET_CURRENT_PID_TGID = 14;
    private static final int HELPER_GET_SOCKET_COOKIE = 46;
    private static final int ATTR_BYTES = 128;
    /** include/net/tcp_states.h */
    static final int TCP_SYN_SENT = 2;
    /** The tracepoint's arguments in the program's context, 8 bytes each: sk, oldstate, newstate. */
    static final int CTX_SK = 0;
    static final int CTX_NEWSTATE = 16;
    /** Records kept (LRU): about 1 MB of kernel memory, preallocated. */
    static final int MAP_ENTRIES = 16_384;
    static final String TRACEPOINT_TYPE = "btf_trace_inet_sock_set_state";

    private static final TracingProgram.Shared<ConnectRecorder> SYSTEM = new TracingProgram.Shared<>("connect recorder",
            () -> attachAndTest(Btf.withVmlinux(b -> b.find(Btf.KIND_TYPEDEF, TRACEPOINT_TYPE))));

    private final int mapFd;
    private final int programFd;
    private final int linkFd;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private volatile boolean closed;

    private static final class Scratch {
        final Libc.CallState state;
        final MemorySegment key;
        final MemorySegment value;
        final MemorySegment attr;

        Scratch() {
            Arena arena = Arena.ofAuto();
            state = new Libc.CallState(arena);
            key = arena.allocate(8, 8);
            value = arena.allocate(8, 8);
            attr = arena.allocate(32, 8);
        }
    }

    private ConnectRecorder(int mapFd, int programFd, int linkFd) {
        this.mapFd = mapFd;
        this.programFd = programFd;
        this.linkFd = linkFd;
    }

    /**
     * The process-wide recorder, attached on first use; empty when this machine or user cannot have one
     * ({@link #describeSource()} says why). {@code NETWARDEN_NO_BPF=1} turns it off.
     */
    public static Optional<ConnectRecorder> system() {
        return SYSTEM.get();
    }

    /** For status output: "bpf" when {@link #system()} has a recorder, else "off (why)". */
    public static String describeSource() {
        return system().isPresent() ? "bpf" : "off (" + SYSTEM.reason() + ")";
    }

    private static ConnectRecorder attachAndTest(int tracepointBtfId) throws IOException {
        ConnectRecorder r = attach(tracepointBtfId);
        try {
            r.selfTest();
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The program: on a change to SYN-SENT, map[cookie(sk)] = pid_tgid of the running task. */
    static long[] instructions(int mapFd) {
        return new EbpfAssembler()
                .load(DOUBLE, R2, R1, CTX_NEWSTATE)
                .jumpIfNotEqual(R2, TCP_SYN_SENT, "done")
                .load(DOUBLE, R6, R1, CTX_SK)
                .mov(R1, R6)
                .call(HELPER_GET_SOCKET_COOKIE)              // r0 = the socket's cookie
                .store(DOUBLE, R10, -8, R0)                  // key
                .call(HELPER_GET_CURRENT_PID_TGID)          // r0 = tgid << 32 | tid
                .store(DOUBLE, R10, -16, R0)                 // value
                .loadMap(R1, mapFd)
                .mov(R2, R10)
                .addImm(R2, -8)
                .mov(R3, R10)
                .addImm(R3, -16)
                .movImm(R4, 0)                               // BPF_ANY
                .call(HELPER_MAP_UPDATE_ELEM)
                .label("done")
                .movImm(R0, 0)
                .exit()
                .build();
    }

    /** Makes the map, loads the program (the verifier's complaint, if any, is in the exception) and attaches it. */
    static ConnectRecorder attach(int tracepointBtfId) throws ErrnoException {
        Arena arena = Arena.ofAuto();
        Libc.CallState st = new Libc.CallState(arena);
        MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
        attr.set(ValueLayout.JAVA_INT, 0, BPF_MAP_TYPE_LRU_HASH);
        attr.set(ValueLayout.JAVA_INT, 4, 8);  // key: the cookie
        attr.set(ValueLayout.JAVA_INT, 8, 8);  // value: pid_tgid
        attr.set(ValueLayout.JAVA_INT, 12, MAP_ENTRIES);
        MemorySegment.copy("nw_connects".getBytes(StandardCharsets.US_ASCII), 0, attr, ValueLayout.JAVA_BYTE, 32, 11);
        int map = Libc.bpf(st, BPF_MAP_CREATE, attr, ATTR_BYTES);
        if (map < 0) {
            throw new ErrnoException("bpf(MAP_CREATE) for the connect records", st.errno());
        }
        int prog = -1;
        try {
            prog = TracingProgram.load("nw_connects", instructions(map), BPF_TRACE_RAW_TP, tracepointBtfId);
            attr.fill((byte) 0);
            attr.set(ValueLayout.JAVA_INT, 8, prog); // name 0: a tp_btf program names its tracepoint by BTF id
            int link = Libc.bpf(st, BPF_RAW_TRACEPOINT_OPEN, attr, ATTR_BYTES);
            if (link < 0) {
                throw new ErrnoException("bpf(RAW_TRACEPOINT_OPEN) for " + TRACEPOINT_TYPE, st.errno());
            }
            return new ConnectRecorder(map, prog, link);
        } catch (ErrnoException | RuntimeException e) {
            if (prog >= 0) {
                Libc.close(st, prog);
            }
            Libc.close(st, map);
            throw e;
        }
    }

    /**
     * The pid of the process that connected the TCP socket with this cookie (its thread group id), or 0
     * when there is no record: not a TCP socket that connected while the recorder ran, or its record was
     * pushed out by {@link #MAP_ENTRIES} newer connects.
     */
    public int pidOf(long cookie) {
        if (closed || cookie == 0) {
            return 0;
        }
        Scratch s = scratch.get();
        s.key.set(ValueLayout.JAVA_LONG, 0, cookie);
        s.attr.set(ValueLayout.JAVA_INT, 0, mapFd);
        s.attr.set(ValueLayout.JAVA_INT, 4, 0);
        s.attr.set(ValueLayout.JAVA_LONG, 8, s.key.address());
        s.attr.set(ValueLayout.JAVA_LONG, 16, s.value.address());
        s.attr.set(ValueLayout.JAVA_LONG, 24, 0);
        if (Libc.bpf(s.state, BPF_MAP_LOOKUP_ELEM, s.attr, 32) < 0) {
            if (s.state.errno() != Errno.ENOENT) {
                LOG.log(Level.FINE, "bpf(MAP_LOOKUP_ELEM) failed, errno " + s.state.errno());
            }
            return 0;
        }
        return (int) (s.value.get(ValueLayout.JAVA_LONG, 0) >>> 32);
    }

    /**
     * Connects to a listener of its own on loopback; the record for that socket must name this process.
     * Catches a tracepoint whose arguments are not where the program reads them, and pids of another
     * namespace.
     */
    private void selfTest() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, lo); Socket client = new Socket()) {
            // Closed with a reset, both ends: no TIME-WAIT socket is left behind for `ss` or `conns` to show.
            client.setSoLinger(true, 0);
            client.connect(new InetSocketAddress(lo, server.getLocalPort()), 2000);
            try (Socket accepted = server.accept(); SockDiag diag = SockDiag.open()) {
                accepted.setSoLinger(true, 0);
                Optional<SocketEntry> e = diag.lookup(Netid.TCP, new InetEndpoint(lo, client.getLocalPort()),
                        new InetEndpoint(lo, server.getLocalPort()));
                long cookie = e.map(SocketEntry::cookie).orElse(0L);
                int pid = pidOf(cookie);
                long self = ProcessHandle.current().pid();
                if (pid != self) {
                    throw new IllegalStateException("self-test failed: the record of this process's connect (cookie "
                            + cookie + ") names pid " + pid + ", not " + self);
                }
            }
        } catch (IOException e) {
            throw new IOException("self-test connect on loopback failed (is lo up?): " + e.getMessage(), e);
        }
    }

    /** Detaches the program and frees the map. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.CallState st = Libc.state();
            Libc.close(st, linkFd);
            Libc.close(st, programFd);
            Libc.close(st, mapFd);
        }
    }

    @Override
    public String toString() {
        return "ConnectRecorder[map fd " + mapFd + ", link fd " + linkFd + (closed ? ", closed" : "") + "]";
    }
}
