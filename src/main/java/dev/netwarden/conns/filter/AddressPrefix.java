package dev.netwarden.conns.filter;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

import dev.netwarden.socket.SocketEntry;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code fe80::/64}) that socket addresses are tested
 * against, in the family of the socket they belong to ({@link #contains(InetAddress, int)}):
 *
 * <ul>
 * <li>An IPv6 prefix matches only addresses of AF_INET6 sockets, never an AF_INET socket's, even when it
 *     is an IPv4-mapped prefix ({@code ::ffff:127.0.0.1}): an AF_INET socket has no IPv6 address.</li>
 * <li>An IPv4 prefix matches AF_INET sockets and IPv4-mapped addresses ({@code ::ffff:10.1.2.3}) of AF_INET6
 *     sockets, because a dual-stack socket shows IPv4 peers that way and a user filtering
 *     {@code dst 10.0.0.0/8} means them too. ss does the same.</li>
 * </ul>
 *
 * The kernel layer hands an IPv4-mapped address of an AF_INET6 socket over as an {@code Inet4Address}
 * ({@code InetAddress.getByAddress} makes one of ::ffff:a.b.c.d); that is why the socket's family, not the
 * address's class, says which family an address is compared in.
 */
public final class AddressPrefix {

    private final byte[] network;
    private final int bits;

    public AddressPrefix(byte[] address, int bits) {
        Objects.requireNonNull(address, "address is null");
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes");
        }
        if (bits < 0 || bits > address.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: " + bits);
        }
        this.network = address.clone();
        this.bits = bits;
        // Clear host bits so equal networks compare equal.
        for (int i = 0; i < network.length; i++) {
            int keep = Math.clamp(bits - i * 8L, 0, 8);
            network[i] &= (byte) (0xff00 >> keep);
        }
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    public int bits() {
        return bits;
    }

    /**
     * Whether {@code address}, an endpoint of a socket of family {@code socketFamily} (AF_INET or AF_INET6), is
     * in this network. Any other family never matches.
     */
    public boolean contains(InetAddress address, int socketFamily) {
        byte[] a = address.getAddress();
        if (socketFamily == SocketEntry.AF_INET) {
            return network.length == 4 && a.length == 4 && prefixEquals(a, 0, false);
        }
        if (socketFamily != SocketEntry.AF_INET6) {
            return false;
        }
        if (network.length == 16) {
            return prefixEquals(a, 0, a.length == 4);
        }
        // IPv4 prefix on an AF_INET6 socket: only an IPv4-mapped address can match.
        if (a.length == 4) {
            return prefixEquals(a, 0, false);
        }
        return isV4Mapped(a) && prefixEquals(a, 12, false);
    }

    /**
     * Whether the first {@link #bits} bits of {@code a} from {@code offset} equal the network's; with
     * {@code v4AsMapped}, {@code a} is 4 IPv4 bytes read as ::ffff:a.b.c.d, without building those 16 bytes.
     */
    private boolean prefixEquals(byte[] a, int offset, boolean v4AsMapped) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (byteAt(a, offset + i, v4AsMapped) != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >> rest) & 0xff;
        return (byteAt(a, offset + full, v4AsMapped) & mask) == (network[full] & 0xff);
    }

    private static byte byteAt(byte[] a, int i, boolean v4AsMapped) {
        return v4AsMapped ? mappedByte(a, i) : a[i];
    }

    private static byte mappedByte(byte[] v4, int i) {
        return i < 10 ? 0 : i < 12 ? (byte) 0xff : v4[i - 12];
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressPrefix p && p.bits == bits && Arrays.equals(p.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + bits;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
