package dev.netwarden.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address or network in CIDR form ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 192.0.2.7}).
 * Parsed without DNS: only literals are accepted.
 */
record Network(byte[] prefix, int bits, String text) {

    static Network parse(String text) {
        int slash = text.indexOf('/');
        String a = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = literal(a);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or network (a.b.c.d[/len] or IPv6[/len])");
        }
        byte[] bytes = address.getAddress();
        int max = bytes.length * 8;
        int bits = max;
        if (slash >= 0) {
            String len = text.substring(slash + 1);
            bits = len.length() > 0 && len.length() <= 3 && len.chars().allMatch(Character::isDigit) ? Integer.parseInt(len) : -1;
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + max);
            }
        }
        for (int i = 0; i < bytes.length; i++) { // clear host bits so 10.1.2.3/8 means 10.0.0.0/8
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
        return new Network(bytes, bits, text);
    }

    /** The address for an IP literal, null for anything else (never resolves a name). */
    static InetAddress literal(String a) {
        if (a.isEmpty() || a.length() > 45) {
            return null;
        }
        boolean v6 = a.indexOf(':') >= 0;
        boolean v4 = !v6 && a.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'))
                && a.chars().filter(ch -> ch == '.').count() == 3;
        if (v6 && !a.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0)) {
            return null;
        }
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** As {@link #contains(InetAddress)}, for the address's bytes (taken once per decision, not once per rule). */
    boolean contains(byte[] b) {
        if (b.length != prefix.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (b[full] & mask) == (prefix[full] & 0xFF);
    }
}
