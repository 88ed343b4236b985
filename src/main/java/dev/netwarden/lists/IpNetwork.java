package dev.netwarden.lists;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network (an address is a network with the full prefix). Parsed from list text
 * without DNS: IPv4 only as a strict dotted quad (no leading zeros, which some parsers read as
 * octal), IPv6 as {@link Inet6Address#ofLiteral} reads it but without brackets or a zone.
 * Host bits below the prefix are cleared ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}). An IPv4-mapped
 * IPv6 literal ({@code ::ffff:1.2.3.4}) is the IPv4 network, as Java hands such addresses to lookups.
 */
public final class IpNetwork {
    private final byte[] address;
    private final int prefix;

    private IpNetwork(byte[] address, int prefix) {
        this.address = address;
        this.prefix = prefix;
        int bits = address.length * 8;
        for (int bit = prefix; bit < bits; bit++) {
            address[bit >> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
    }

    /** Parses {@code ADDRESS} or {@code ADDRESS/PREFIX}; throws IllegalArgumentException saying what is wrong. */
    public static IpNetwork parse(String text) {
        Objects.requireNonNull(text, "text is null");
        int slash = text.indexOf('/');
        String a = slash < 0 ? text : text.substring(0, slash);
        int prefix = -1;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad prefix length");
            }
            prefix = Integer.parseInt(p);
        }
        if (a.indexOf(':') < 0) {
            byte[] v4 = parseIpv4(a);
            if (v4 == null) {
                throw new IllegalArgumentException("not an IP address");
            }
            return of(v4, prefix < 0 ? 32 : prefix);
        }
        if (a.indexOf('%') >= 0 || a.indexOf('[') >= 0) {
            throw new IllegalArgumentException("not an IP address");
        }
        InetAddress parsed;
        try {
            parsed = Inet6Address.ofLiteral(a);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address");
        }
        if (parsed instanceof Inet4Address mapped) {
            if (prefix >= 0 && prefix < 96) {
                throw new IllegalArgumentException("prefix shorter than /96 on an IPv4-mapped address");
            }
            return of(mapped.getAddress(), prefix < 0 ? 32 : prefix - 96);
        }
        return of(parsed.getAddress(), prefix < 0 ? 128 : prefix);
    }

    private static IpNetwork of(byte[] address, int prefix) {
        if (prefix > address.length * 8) {
            throw new IllegalArgumentException("prefix length over " + address.length * 8);
        }
        return new IpNetwork(address, prefix);
    }

    /** A strict dotted quad, or null. */
    static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int startOfPart = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - startOfPart < 3) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - startOfPart;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(startOfPart) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }

    /** 4 or 6. */
    public int family() {
        return address.length == 4 ? 4 : 6;
    }

    public int prefix() {
        return prefix;
    }

    /** The network's first address (host bits clear), a copy. */
    public byte[] address() {
        return address.clone();
    }

    byte addressByte(int i) {
        return address[i];
    }

    public boolean contains(InetAddress a) {
        byte[] other = a.getAddress();
        if (other.length != address.length) {
            return false;
        }
        int full = prefix >> 3;
        for (int i = 0; i < full; i++) {
            if (other[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (other[full] & mask) == (address[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNetwork n && n.prefix == prefix && Arrays.equals(n.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefix;
    }

    /** {@code 10.0.0.0/8}, {@code 2001:db8::/32}; a single address without the prefix. */
    @Override
    public String toString() {
        String a;
        try {
            a = InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
        if (address.length == 16) {
            a = compress(a);
        }
        return prefix == address.length * 8 ? a : a + "/" + prefix;
    }

    /** Java prints IPv6 uncompressed; replaces the longest run of zero groups with "::" (RFC 5952). */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
