package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.socket.InetEndpoint;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Writes {@code SOCK_DIAG_BY_FAMILY} requests carrying a {@code struct inet_diag_req_v2}
 * (uapi/linux/inet_diag.h), header included:
 * <pre>
 *  0 u8 sdiag_family   1 u8 sdiag_protocol   2 u8 idiag_ext   3 u8 pad (sdiag_raw_protocol for RAW)
 *  4 u32 idiag_states
 *  8 struct inet_diag_sockid: be16 sport, be16 dport, be32 src[4], be32 dst[4], u32 if (44), u32 cookie[2]
 * </pre>
 * Pure: writes bytes into the given segment (heap or native) and touches nothing else.
 */
public final class InetDiagRequest {
    public static final int SOCK_DIAG_BY_FAMILY = 20;
    /** Destroys the socket an exact request names (CONFIG_INET_DIAG_DESTROY, CAP_NET_ADMIN). */
    public static final int SOCK_DESTROY = 21;
    /**
     * The legacy TCP request type (with {@code struct inet_diag_req}, no family byte). Why it is still
     * used: the kernel runs its dump with family AF_UNSPEC (inet_diag.c, inet_diag_dump_compat), so one
     * walk of the machine-wide established hash table returns IPv4 and IPv6 sockets, where two
     * SOCK_DIAG_BY_FAMILY dumps walk it twice. Replies carry this type instead of SOCK_DIAG_BY_FAMILY.
     */
    public static final int TCPDIAG_GETSOCK = 18;
    /** {@code struct inet_diag_req}: family, src_len, dst_len, ext, the 48-byte sockid, states, dbs. */
    public static final int COMPAT_BODY_LENGTH = 60;
    public static final int COMPAT_LENGTH = NetlinkHeader.LENGTH + COMPAT_BODY_LENGTH;
    public static final int BODY_LENGTH = 56;
    public static final int LENGTH = NetlinkHeader.LENGTH + BODY_LENGTH;

    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_RAW = 255;

    /** idiag_ext bits: attribute N is requested by bit N-1. */
    public static final int EXT_MEMINFO = 1 << (InetDiagParser.INET_DIAG_MEMINFO - 1);
    public static final int EXT_INFO = 1 << (InetDiagParser.INET_DIAG_INFO - 1);
    public static final int EXT_CONG = 1 << (InetDiagParser.INET_DIAG_CONG - 1);
    public static final int EXT_SKMEMINFO = 1 << (InetDiagParser.INET_DIAG_SKMEMINFO - 1);

    /** INET_DIAG_NOCOOKIE: "no cookie given", both halves of idiag_cookie. */
    public static final int NO_COOKIE = ~0;

    private InetDiagRequest() {
    }

    /**
     * A dump of all sockets of {@code protocol} in {@code family} whose state bit is in {@code stateMask}.
     * For RAW ({@code protocol == IPPROTO_RAW}) the raw protocol byte is IPPROTO_RAW too, which
     * raw_diag reads as "any raw protocol", as {@code ss -w} asks.
     */
    public static int writeDump(MemorySegment dst, long offset, int family, int protocol, int ext, int stateMask) {
        NetlinkHeader.write(dst, offset, LENGTH, SOCK_DIAG_BY_FAMILY, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP);
        long b = offset + NetlinkHeader.LENGTH;
        dst.asSlice(b, BODY_LENGTH).fill((byte) 0);
        dst.set(U8, b, (byte) family);
        dst.set(U8, b + 1, (byte) protocol);
        dst.set(U8, b + 2, (byte) ext);
        dst.set(U8, b + 3, (byte) (protocol == IPPROTO_RAW ? IPPROTO_RAW : 0));
        dst.set(U32, b + 4, stateMask);
        dst.set(U32, b + 48, NO_COOKIE);
        dst.set(U32, b + 52, NO_COOKIE);
        return LENGTH;
    }

    /**
     * A dump of the TCP sockets of both families whose state bit is in {@code stateMask}, as one
     * {@link #TCPDIAG_GETSOCK} request (see there for why):
     * <pre>
     *  0 u8 idiag_family (0: ignored by the kernel, which dumps AF_UNSPEC)   1 u8 src_len   2 u8 dst_len
     *  3 u8 idiag_ext   4 struct inet_diag_sockid (48 bytes, cookie at 44)   52 u32 idiag_states   56 u32 idiag_dbs
     * </pre>
     */
    public static int writeTcpDumpBothFamilies(MemorySegment dst, long offset, int ext, int stateMask) {
        NetlinkHeader.write(dst, offset, COMPAT_LENGTH, TCPDIAG_GETSOCK, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_DUMP);
        long b = offset + NetlinkHeader.LENGTH;
        dst.asSlice(b, COMPAT_BODY_LENGTH).fill((byte) 0);
        dst.set(U8, b + 3, (byte) ext);
        dst.set(U32, b + 4 + 40, NO_COOKIE);
        dst.set(U32, b + 4 + 44, NO_COOKIE);
        dst.set(U32, b + 52, stateMask);
        return COMPAT_LENGTH;
    }

    /** {@link #writeTcpDumpBothFamilies} into a new heap segment. */
    public static MemorySegment tcpDumpBothFamilies(int ext, int stateMask) {
        MemorySegment seg = MemorySegment.ofArray(new byte[COMPAT_LENGTH]);
        writeTcpDumpBothFamilies(seg, 0, ext, stateMask);
        return seg;
    }

    /**
     * An exact lookup of one TCP or UDP socket by its addresses (no NLM_F_DUMP), with the interface
     * index taken from {@code local} ({@link #scopeOf}).
     */
    public static int writeExact(MemorySegment dst, long offset, int protocol, InetEndpoint local, InetEndpoint remote) {
        Objects.requireNonNull(local, "local is null");
        return writeExact(dst, offset, protocol, local, remote, scopeOf(local));
    }

    /**
     * An exact lookup of one TCP or UDP socket by its addresses (no NLM_F_DUMP). The family is AF_INET
     * when both addresses are IPv4, else AF_INET6 (an IPv4 address then goes in as ::ffff:a.b.c.d).
     *
     * <p>TCP takes {@code src} = local, {@code dst} = remote. udp_diag passes the id's src/dst to the
     * receive-path lookup, which expects (packet source = remote, packet destination = local), so for
     * UDP the kernel wants them the other way round ("swapped for historical reasons", udp_diag.c);
     * this method does that swap.
     *
     * <p>{@code interfaceIndex} goes into idiag_if (body offset 44). The kernel passes it as the
     * lookup's {@code dif} (inet6_lookup, __udp6_lib_lookup, and the IPv4 equivalents), and a socket
     * bound to an interface (every IPv6 link-local socket; any SO_BINDTODEVICE socket) only matches
     * when dif is that interface: with 0 such a socket is never found. 0 matches unbound sockets.
     */
    public static int writeExact(MemorySegment dst, long offset, int protocol, InetEndpoint local, InetEndpoint remote,
                                 int interfaceIndex) {
        Objects.requireNonNull(local, "local is null");
        Objects.requireNonNull(remote, "remote is null");
        if (interfaceIndex < 0) {
            throw new IllegalArgumentException("interface index is negative: " + interfaceIndex);
        }
        boolean v4 = local.address() instanceof Inet4Address && remote.address() instanceof Inet4Address;
        NetlinkHeader.write(dst, offset, LENGTH, SOCK_DIAG_BY_FAMILY, NetlinkHeader.NLM_F_REQUEST);
        long b = offset + NetlinkHeader.LENGTH;
        dst.asSlice(b, BODY_LENGTH).fill((byte) 0);
        dst.set(U8, b, (byte) (v4 ? InetDiagParser.AF_INET : InetDiagParser.AF_INET6));
        dst.set(U8, b + 1, (byte) protocol);
        dst.set(U32, b + 4, -1);
        InetEndpoint src = protocol == IPPROTO_UDP ? remote : local;
        InetEndpoint dstEp = protocol == IPPROTO_UDP ? local : remote;
        dst.set(BE16, b + 8, (short) src.port());
        dst.set(BE16, b + 10, (short) dstEp.port());
        writeAddress(dst, b + 12, src.address(), v4);
        writeAddress(dst, b + 28, dstEp.address(), v4);
        dst.set(U32, b + 44, interfaceIndex);
        dst.set(U32, b + 48, NO_COOKIE);
        dst.set(U32, b + 52, NO_COOKIE);
        return LENGTH;
    }

    /**
     * A SOCK_DESTROY request for exactly this socket: its addresses (as {@link #writeExact}) and its
     * cookie, so that a socket that replaced it with the same addresses is not hit; NLM_F_ACK so the
     * kernel says whether it worked. Unlike the exact lookup, udp_diag's destroy passes the id to the
     * receive-path lookup the straight way round (idiag_dst as the packet source), so UDP is not
     * swapped here: src = local, dst = remote for both protocols.
     */
    public static int writeDestroy(MemorySegment dst, long offset, int protocol, InetEndpoint local, InetEndpoint remote,
                                   int interfaceIndex, long cookie) {
        // writeExact swaps UDP's endpoints; handing them in swapped undoes that
        int n = protocol == IPPROTO_UDP
                ? writeExact(dst, offset, protocol, remote, local, interfaceIndex)
                : writeExact(dst, offset, protocol, local, remote, interfaceIndex);
        NetlinkHeader.write(dst, offset, LENGTH, SOCK_DESTROY, NetlinkHeader.NLM_F_REQUEST | NetlinkHeader.NLM_F_ACK);
        long b = offset + NetlinkHeader.LENGTH;
        dst.set(U32, b + 48, (int) cookie);
        dst.set(U32, b + 52, (int) (cookie >>> 32));
        return n;
    }

    /**
     * The interface index an endpoint names: the scope id of an IPv6 address that has one
     * ({@code fe80::1%2}, or {@code %lo} resolved by the JDK), else 0.
     */
    public static int scopeOf(InetEndpoint endpoint) {
        return endpoint.address() instanceof Inet6Address a6 && a6.getScopeId() > 0 ? a6.getScopeId() : 0;
    }

    private static void writeAddress(MemorySegment dst, long at, InetAddress address, boolean v4) {
        byte[] a = address.getAddress();
        if (v4 || a.length == 16) {
            MemorySegment.copy(a, 0, dst, U8, at, a.length);
        } else {
            dst.set(U8, at + 10, (byte) 0xFF);
            dst.set(U8, at + 11, (byte) 0xFF);
            MemorySegment.copy(a, 0, dst, U8, at + 12, 4);
        }
    }

    /** {@link #writeDump} into a new heap segment. */
    public static MemorySegment dump(int family, int protocol, int ext, int stateMask) {
        MemorySegment seg = MemorySegment.ofArray(new byte[LENGTH]);
        writeDump(seg, 0, family, protocol, ext, stateMask);
        return seg;
    }
}
