package dev.netwarden.conns.filter;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code fe80::/64}) that socket addresses are tested
 * against. An IPv4 prefix also matches IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}), because a
 * dual-stack socket shows IPv4 peers that way and a user filtering {@code dst 10.0.0.0/8} means them too.
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

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == network.length) {
            return prefixEquals(a, 0);
        }
        if (network.length == 4 && isV4Mapped(a)) {
            return prefixEquals(a, 12);
        }
        if (network.length == 16 && a.length == 4) {
            // InetAddress.getByAddress turns a mapped address into an Inet4Address: compare it as mapped.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(a, 0, mapped, 12, 4);
            return prefixEquals(mapped, 0);
        }
        return false;
    }

    private boolean prefixEquals(byte[] a, int offset) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[offset + i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff00 >> rest) & 0xff;
        return (a[offset + full] & mask) == (network[full] & 0xff);
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
