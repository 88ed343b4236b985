package dev.netwarden.packet;

import dev.netwarden.flow.Transport;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One IPv4 or IPv6 packet, starting at the IP header, as AF_PACKET SOCK_DGRAM and NFQUEUE deliver
 * it: who talks to whom, over what, and where the transport payload lies.
 *
 * <p>Why offsets and no copy: the sniffer and the intercept path see every packet; they read the
 * payload in place from their receive buffer, so a parse allocates only this record and the two
 * addresses. Offsets are relative to the packet's first byte (the {@code offset} given to
 * {@link #parse}).
 *
 * <p>Fields that do not apply are -1: ports outside TCP/UDP (and in a {@link Fragment#LATER}
 * fragment), ICMP type/code outside ICMP/ICMPv6, the TCP sequence outside TCP; {@code tcpFlags} is 0
 * outside TCP. For ICMP the payload starts after type, code and checksum (4 bytes).
 *
 * <p>An IPv6 address that is IPv4-mapped ({@code ::ffff:a.b.c.d}) comes out as an
 * {@link java.net.Inet4Address}, as {@link InetAddress#getByAddress(byte[])} makes it.
 *
 * @param version        4 or 6
 * @param protocol       the transport protocol number (IPv6: after the extension headers)
 * @param payloadOffset  where the transport payload starts, from the packet's first byte
 * @param payloadLength  its length in bytes (for a {@link Fragment#FIRST} fragment, what is present)
 */
public record IpPacket(
        int version,
        int protocol,
        InetAddress source,
        InetAddress destination,
        int sourcePort,
        int destinationPort,
        int tcpFlags,
        long tcpSequence,
        int icmpType,
        int icmpCode,
        int payloadOffset,
        int payloadLength,
        Fragment fragment) {

    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMPV6 = 58;

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_PSH = 0x08;
    public static final int TCP_ACK = 0x10;

    /** IPv6 extension headers walked before giving up (a real packet has a handful at most). */
    public static final int MAX_EXTENSION_HEADERS = 8;

    private static final int HOP_BY_HOP = 0;
    private static final int ROUTING = 43;
    private static final int FRAGMENT = 44;
    private static final int AUTHENTICATION = 51;
    private static final int NO_NEXT_HEADER = 59;
    private static final int DESTINATION_OPTIONS = 60;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    public IpPacket {
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(destination, "destination is null");
        Objects.requireNonNull(fragment, "fragment is null");
    }

    /** True for a TCP segment that opens a connection: SYN without ACK. */
    public boolean isSyn() {
        return protocol == TCP && (tcpFlags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
    }

    /** The protocol as the flow records name it; anything but TCP, UDP and ICMP(v6) is RAW. */
    public Transport transport() {
        return switch (protocol) {
            case TCP -> Transport.TCP;
            case UDP -> Transport.UDP;
            case ICMP, ICMPV6 -> Transport.ICMP;
            default -> Transport.RAW;
        };
    }

    /** Parses the packet at {@code bytes[offset, offset + length)}. */
    public static IpPacket parse(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return parse(MemorySegment.ofArray(bytes), offset, length);
    }

    /**
     * Parses the packet at {@code segment[offset, offset + length)}. Trailing bytes beyond the IP
     * length (link padding) are ignored.
     *
     * @throws MalformedPacketException when the bytes are truncated or contradict themselves
     */
    public static IpPacket parse(MemorySegment segment, long offset, int length) {
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        if (length < 1) {
            throw new MalformedPacketException("empty packet");
        }
        int version = (segment.get(ValueLayout.JAVA_BYTE, offset) & 0xFF) >>> 4;
        return switch (version) {
            case 4 -> parse4(segment, offset, length);
            case 6 -> parse6(segment, offset, length);
            default -> throw new MalformedPacketException("IP version " + version + " is neither 4 nor 6");
        };
    }

    private static IpPacket parse4(MemorySegment s, long base, int length) {
        if (length < 20) {
            throw new MalformedPacketException("IPv4 header truncated: " + length + " bytes");
        }
        int headerLength = (u8(s, base) & 0x0F) * 4;
        int totalLength = u16(s, base + 2);
        if (headerLength < 20) {
            throw new MalformedPacketException("IPv4 header length " + headerLength + " < 20");
        }
        if (totalLength < headerLength || totalLength > length) {
            throw new MalformedPacketException("IPv4 total length " + totalLength + " outside [" + headerLength
                    + ", " + length + "]");
        }
        int fragmentField = u16(s, base + 6);
        boolean moreFragments = (fragmentField & 0x2000) != 0;
        int fragmentOffset = fragmentField & 0x1FFF;
        Fragment fragment = fragmentOffset != 0 ? Fragment.LATER : moreFragments ? Fragment.FIRST : Fragment.NONE;
        int protocol = u8(s, base + 9);
        InetAddress source = address(s, base + 12, 4);
        InetAddress destination = address(s, base + 16, 4);
        return transport(s, base, 4, protocol, source, destination, headerLength, totalLength, fragment);
    }

    private static IpPacket parse6(MemorySegment s, long base, int length) {
        if (length < 40) {
            throw new MalformedPacketException("IPv6 header truncated: " + length + " bytes");
        }
        int payloadLength = u16(s, base + 4);
        if (payloadLength == 0) {
            throw new MalformedPacketException("IPv6 jumbogram (payload length 0) not supported");
        }
        int end = 40 + payloadLength;
        if (end > length) {
            throw new MalformedPacketException("IPv6 payload length " + payloadLength + " exceeds the "
                    + (length - 40) + " bytes present");
        }
        InetAddress source = address(s, base + 8, 16);
        InetAddress destination = address(s, base + 24, 16);
        int next = u8(s, base + 6);
        int at = 40;
        Fragment fragment = Fragment.NONE;
        for (int headers = 0; ; headers++) {
            if (next != HOP_BY_HOP && next != ROUTING && next != DESTINATION_OPTIONS && next != FRAGMENT
                    && next != AUTHENTICATION) {
                break;
            }
            if (headers == MAX_EXTENSION_HEADERS) {
                throw new MalformedPacketException("more than " + MAX_EXTENSION_HEADERS + " IPv6 extension headers");
            }
            if (at + 8 > end) {
                throw new MalformedPacketException("IPv6 extension header " + next + " truncated at " + at);
            }
            int following = u8(s, base + at);
            int size = switch (next) {
                case FRAGMENT -> 8;
                case AUTHENTICATION -> (u8(s, base + at + 1) + 2) * 4;
                default -> (u8(s, base + at + 1) + 1) * 8;
            };
            if (at + size > end) {
                throw new MalformedPacketException("IPv6 extension header " + next + " of " + size
                        + " bytes overruns the packet at " + at);
            }
            if (next == FRAGMENT) {
                int field = u16(s, base + at + 2);
                if ((field & 0xFFF8) != 0) {
                    fragment = Fragment.LATER;
                } else if ((field & 1) != 0) {
                    fragment = Fragment.FIRST;
                }
            }
            next = following;
            at += size;
            if (fragment == Fragment.LATER) {
                break;
            }
        }
        if (next == NO_NEXT_HEADER) {
            return new IpPacket(6, next, source, destination, -1, -1, 0, -1, -1, -1, at, end - at, fragment);
        }
        return transport(s, base, 6, next, source, destination, at, end, fragment);
    }

    /** Reads the transport header at {@code [at, end)}, relative to {@code base}. */
    private static IpPacket transport(MemorySegment s, long base, int version, int protocol, InetAddress source,
                                      InetAddress destination, int at, int end, Fragment fragment) {
        int available = end - at;
        if (fragment == Fragment.LATER) {
            return new IpPacket(version, protocol, source, destination, -1, -1, 0, -1, -1, -1, at, available, fragment);
        }
        switch (protocol) {
            case TCP -> {
                if (available < 20) {
                    throw new MalformedPacketException("TCP header truncated: " + available + " bytes");
                }
                int dataOffset = (u8(s, base + at + 12) >>> 4) * 4;
                if (dataOffset < 20 || dataOffset > available) {
                    throw new MalformedPacketException("TCP data offset " + dataOffset + " outside [20, "
                            + available + "]");
                }
                int flags = ((u8(s, base + at + 12) & 1) << 8) | u8(s, base + at + 13);
                long sequence = u32(s, base + at + 4);
                return new IpPacket(version, protocol, source, destination, u16(s, base + at), u16(s, base + at + 2),
                        flags, sequence, -1, -1, at + dataOffset, available - dataOffset, fragment);
            }
            case UDP -> {
                if (available < 8) {
                    throw new MalformedPacketException("UDP header truncated: " + available + " bytes");
                }
                int udpLength = u16(s, base + at + 4);
                int payload;
                if (fragment == Fragment.FIRST) {
                    payload = available - 8;
                } else if (udpLength < 8 || udpLength > available) {
                    throw new MalformedPacketException("UDP length " + udpLength + " outside [8, " + available + "]");
                } else {
                    payload = udpLength - 8;
                }
                return new IpPacket(version, protocol, source, destination, u16(s, base + at), u16(s, base + at + 2),
                        0, -1, -1, -1, at + 8, payload, fragment);
            }
            case ICMP, ICMPV6 -> {
                if (available < 4) {
                    throw new MalformedPacketException("ICMP header truncated: " + available + " bytes");
                }
                return new IpPacket(version, protocol, source, destination, -1, -1, 0, -1,
                        u8(s, base + at), u8(s, base + at + 1), at + 4, available - 4, fragment);
            }
            default -> {
                return new IpPacket(version, protocol, source, destination, -1, -1, 0, -1, -1, -1, at, available,
                        fragment);
            }
        }
    }

    private static InetAddress address(MemorySegment s, long at, int size) {
        byte[] raw = new byte[size];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, raw, 0, size);
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    private static int u16(MemorySegment s, long at) {
        return s.get(U16, at) & 0xFFFF;
    }

    private static long u32(MemorySegment s, long at) {
        return s.get(U32, at) & 0xFFFF_FFFFL;
    }
}
