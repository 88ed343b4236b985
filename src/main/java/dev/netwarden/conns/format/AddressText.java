package dev.netwarden.conns.format;

import java.net.InetAddress;

/**
 * IP addresses as text the way {@code ss} and people write them (RFC 5952: lower case, the longest run
 * of zero groups as {@code ::}, IPv4-mapped as {@code ::ffff:a.b.c.d}). {@link InetAddress#getHostAddress}
 * does not compress IPv6 ({@code 0:0:0:0:0:0:0:1}) and allocates; this appends to a caller's builder.
 */
public final class AddressText {

    private AddressText() {
    }

    /** Appends {@code address} without brackets. */
    public static void append(StringBuilder out, InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            appendV4(out, b, 0);
        } else {
            appendV6(out, b);
        }
    }

    /**
     * Appends {@code address} as seen by a socket of the given family: an IPv6 socket's IPv4-mapped peer
     * is {@code ::ffff:a.b.c.d} even if the {@link InetAddress} was collapsed to an Inet4Address.
     */
    public static void append(StringBuilder out, InetAddress address, boolean ipv6Socket) {
        byte[] b = address.getAddress();
        if (b.length == 4 && ipv6Socket) {
            out.append("::ffff:");
            appendV4(out, b, 0);
        } else if (b.length == 4) {
            appendV4(out, b, 0);
        } else {
            appendV6(out, b);
        }
    }

    /** {@code address} as text, without brackets. */
    public static String toText(InetAddress address) {
        StringBuilder sb = new StringBuilder(39);
        append(sb, address);
        return sb.toString();
    }

    private static void appendV4(StringBuilder out, byte[] b, int off) {
        out.append(b[off] & 0xff).append('.').append(b[off + 1] & 0xff).append('.')
                .append(b[off + 2] & 0xff).append('.').append(b[off + 3] & 0xff);
    }

    private static void appendV6(StringBuilder out, byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        int groups = mapped ? 6 : 8;
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1; // RFC 5952 4.2.2: a single zero group is not compressed
        }
        for (int i = 0; i < groups; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        if (mapped) {
            if (bestStart + bestLen != 6) {
                out.append(':');
            }
            appendV4(out, b, 12);
        }
    }
}
