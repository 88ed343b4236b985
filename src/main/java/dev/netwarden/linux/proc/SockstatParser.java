package dev.netwarden.linux.proc;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads the {@code inuse} count of one protocol line of {@code /proc/net/sockstat} or
 * {@code sockstat6} ({@code "TCP: inuse 3 orphan 0 tw 1 alloc 20015 mem 0"}, {@code "TCP6: inuse 1"}).
 * The count is per network namespace: the sockets of that protocol in the kernel's lookup tables
 * (listening, connecting, connected; not TIME-WAIT, not a socket never bound to a port). Pure.
 */
public final class SockstatParser {
    private SockstatParser() {
    }

    /**
     * The inuse count on the line starting with {@code protocol + ":"}, or -1 when there is no such
     * line or it has no well-formed {@code inuse N}.
     */
    public static long inUse(byte[] bytes, int length, String protocol) {
        Objects.requireNonNull(bytes, "bytes is null");
        Objects.requireNonNull(protocol, "protocol is null");
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + bytes.length);
        }
        String text = new String(bytes, 0, length, StandardCharsets.US_ASCII);
        String prefix = protocol + ": inuse ";
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                end = text.length();
            }
            if (text.startsWith(prefix, at)) {
                return number(text, at + prefix.length(), end);
            }
            at = end + 1;
        }
        return -1;
    }

    private static long number(String text, int from, int lineEnd) {
        long v = 0;
        int i = from;
        while (i < lineEnd && i - from < 18 && Character.isDigit(text.charAt(i))) {
            v = v * 10 + (text.charAt(i) - '0');
            i++;
        }
        boolean ends = i == lineEnd || text.charAt(i) == ' ';
        return i > from && ends ? v : -1;
    }
}
