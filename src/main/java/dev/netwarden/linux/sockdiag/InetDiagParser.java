package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.MalformedNetlinkException;
import dev.netwarden.linux.netlink.NetlinkAttributeCursor;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import dev.netwarden.socket.TcpInfo;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static dev.netwarden.linux.netlink.NetlinkLayouts.BE16;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U32;
import static dev.netwarden.linux.netlink.NetlinkLayouts.U8;

/**
 * Parses one sock_diag reply payload for TCP/UDP/RAW: {@code struct inet_diag_msg} (72 bytes) and the
 * attributes after it, into a {@link SocketEntry}.
 * <pre>
 *  0 u8 family  1 u8 state  2 u8 timer  3 u8 retrans
 *  4 inet_diag_sockid: be16 sport, be16 dport, be32 src[4], be32 dst[4], u32 if, u32 cookie[2]
 * 52 u32 expires  56 u32 rqueue  60 u32 wqueue  64 u32 uid  68 u32 inode
 * </pre>
 * Choices: ports are converted from network byte order; an IPv4 address is the first 4 bytes of its
 * 16-byte field; the family is kept as the kernel reports it, so a dual-stack AF_INET6 socket talking
 * to an IPv4 peer has family 10 and {@code Inet4Address} endpoints (Java turns ::ffff:a.b.c.d into
 * IPv4). For RAW sockets the local "port" is the IP protocol number, as the kernel reports it.
 * INET_DIAG_SKV6ONLY becomes {@link SocketEntry#v6Only()} (null when absent). For a
 * LISTEN socket rqueue/wqueue are the accept queue and backlog. Of the timer fields only one value is
 * read: timer {@value #TIMER_TIME_WAIT} on a TCP row marks a TIME-WAIT mini-socket
 * ({@link SocketEntry#timeWait()}), which can show the state FIN-WAIT-2; expires is not read.
 *
 * <p>Pure apart from its address cache (which only changes which equal object is returned). Bad bytes
 * throw {@link MalformedNetlinkException} and nothing else. Not thread-safe: one parser per dump.
 */
public final class InetDiagParser {
    public static final int AF_INET = SocketEntry.AF_INET;
    public static final int AF_INET6 = SocketEntry.AF_INET6;
    public static final int MSG_LENGTH = 72;
    /**
     * idiag_timer of a TIME-WAIT mini-socket (inet_diag.c, inet_twsk_diag_fill; a full socket reports
     * 0, 1, 2 or 4). Its idiag_state is the substate: TIME-WAIT, or FIN-WAIT-2 when the socket was
     * closed by its program and its FIN acknowledged before the peer's FIN came.
     */
    public static final int TIMER_TIME_WAIT = 3;

    public static final int INET_DIAG_MEMINFO = 1;
    public static final int INET_DIAG_INFO = 2;
    public static final int INET_DIAG_CONG = 4;
    public static final int INET_DIAG_SKMEMINFO = 7;
    /**
     * u8 IP protocol of the socket. Not needed in dump replies (the request named the protocol), but
     * the only way to tell TCP from UDP in a destroy notification (SKNLGRP_*_DESTROY), which answers
     * no request.
     */
    public static final int INET_DIAG_PROTOCOL = 10;
    /**
     * u8 IPV6_V6ONLY. Not requested through idiag_ext: inet_diag_msg_attrs_fill() adds it to every AF_INET6
     * socket in LISTEN or CLOSE (seen in the recorded 6.18 replies; an old kernel without it gives null).
     */
    public static final int INET_DIAG_SKV6ONLY = 11;

    private final InetAddressCache addresses = new InetAddressCache();
    private final NetlinkAttributeCursor attrs = new NetlinkAttributeCursor();

    /** Parses one message with a throw-away parser (convenience for tests and single lookups). */
    public static SocketEntry parseOne(MemorySegment seg, long offset, int length, Netid netid) {
        return new InetDiagParser().parse(seg, offset, length, netid);
    }

    /**
     * The INET_DIAG_PROTOCOL attribute of the payload at {@code [offset, offset + length)} (an IP
     * protocol number such as 6 or 17), or -1 when it has none. Validates the attributes as
     * {@link #parse} does.
     */
    public static int protocolOf(MemorySegment seg, long offset, int length) {
        if (length < MSG_LENGTH) {
            throw new MalformedNetlinkException("inet_diag_msg of " + length + " bytes, need " + MSG_LENGTH);
        }
        NetlinkAttributeCursor cursor = new NetlinkAttributeCursor(seg, offset + MSG_LENGTH, length - MSG_LENGTH);
        int protocol = -1;
        while (cursor.next()) {
            if (cursor.type() == INET_DIAG_PROTOCOL) {
                if (cursor.valueLength() < 1) {
                    throw new MalformedNetlinkException("INET_DIAG_PROTOCOL of " + cursor.valueLength() + " bytes");
                }
                protocol = Byte.toUnsignedInt(seg.get(U8, cursor.valueOffset()));
            }
        }
        return protocol;
    }

    /**
     * Parses a destroy notification (sock_diag multicast group SKNLGRP_INET{,6}_{TCP,UDP}_DESTROY):
     * the same inet_diag_msg as a dump reply, whose protocol comes from its INET_DIAG_PROTOCOL
     * attribute. Returns null for a protocol other than TCP or UDP (a future group), never a guess.
     * The kernel sends the socket's last state, its cookie and, for TCP, its final tcp_info; the
     * inode and uid are 0 (the socket has already left its file).
     */
    public SocketEntry parseDestroyed(MemorySegment seg, long offset, int length) {
        int protocol = protocolOf(seg, offset, length);
        Netid netid = switch (protocol) {
            case InetDiagRequest.IPPROTO_TCP -> Netid.TCP;
            case InetDiagRequest.IPPROTO_UDP -> Netid.UDP;
            default -> null;
        };
        return netid == null ? null : parse(seg, offset, length, netid);
    }

    /**
     * Parses the payload at {@code [offset, offset + length)} (after the nlmsghdr).
     *
     * @param netid which request this answers (inet_diag_msg does not carry the protocol): TCP, UDP or RAW
     */
    public SocketEntry parse(MemorySegment seg, long offset, int length, Netid netid) {
        Objects.requireNonNull(netid, "netid is null");
        if (netid.isUnix()) {
            throw new IllegalArgumentException("not an inet netid: " + netid);
        }
        if (length < MSG_LENGTH) {
            throw new MalformedNetlinkException("inet_diag_msg of " + length + " bytes, need " + MSG_LENGTH);
        }
        int family = Byte.toUnsignedInt(seg.get(U8, offset));
        boolean ipv6;
        if (family == AF_INET) {
            ipv6 = false;
        } else if (family == AF_INET6) {
            ipv6 = true;
        } else {
            throw new MalformedNetlinkException("inet_diag_msg with family " + family);
        }
        SocketState state = SocketState.fromCode(Byte.toUnsignedInt(seg.get(U8, offset + 1)));
        boolean timeWait = netid == Netid.TCP && Byte.toUnsignedInt(seg.get(U8, offset + 2)) == TIMER_TIME_WAIT;
        int sport = Short.toUnsignedInt(seg.get(BE16, offset + 4));
        int dport = Short.toUnsignedInt(seg.get(BE16, offset + 6));
        InetEndpoint local = new InetEndpoint(addresses.get(seg, offset + 8, ipv6), sport);
        InetEndpoint remote = new InetEndpoint(addresses.get(seg, offset + 24, ipv6), dport);
        int ifIndex = seg.get(U32, offset + 40);
        long cookie = Integer.toUnsignedLong(seg.get(U32, offset + 44)) | ((long) seg.get(U32, offset + 48) << 32);
        long rqueue = Integer.toUnsignedLong(seg.get(U32, offset + 56));
        long wqueue = Integer.toUnsignedLong(seg.get(U32, offset + 60));
        int uid = seg.get(U32, offset + 64);
        long inode = Integer.toUnsignedLong(seg.get(U32, offset + 68));

        TcpInfo tcpInfo = null;
        String congestion = null;
        Boolean v6Only = null;
        attrs.reset(seg, offset + MSG_LENGTH, length - MSG_LENGTH);
        while (attrs.next()) {
            switch (attrs.type()) {
                case INET_DIAG_INFO -> {
                    if (netid == Netid.TCP) {
                        tcpInfo = TcpInfoParser.parse(seg, attrs.valueOffset(), attrs.valueLength());
                    }
                }
                case INET_DIAG_CONG -> congestion = cString(seg, attrs.valueOffset(), attrs.valueLength());
                case INET_DIAG_SKV6ONLY -> {
                    if (attrs.valueLength() < 1) {
                        throw new MalformedNetlinkException("INET_DIAG_SKV6ONLY of " + attrs.valueLength() + " bytes");
                    }
                    if (ipv6) { // only AF_INET6 sockets have the option; the kernel sends it for no other
                        v6Only = seg.get(U8, attrs.valueOffset()) != 0;
                    }
                }
                default -> {
                }
            }
        }
        return new SocketEntry(netid, family, state, local, remote, null, 0, rqueue, wqueue, uid, inode, cookie,
                ifIndex, tcpInfo, congestion, v6Only, timeWait);
    }

    static String cString(MemorySegment seg, long offset, int max) {
        int n = 0;
        while (n < max && seg.get(U8, offset + n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n];
        MemorySegment.copy(seg, U8, offset, bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
