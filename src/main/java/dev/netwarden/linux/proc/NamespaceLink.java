package dev.netwarden.linux.proc;

import java.util.Objects;

/**
 * The inode in a namespace link's target, {@code /proc/PID/ns/net} → {@code "net:[4026531840]"}: two
 * processes are in the same namespace exactly when their links name the same inode. Pure.
 */
public final class NamespaceLink {
    private NamespaceLink() {
    }

    /**
     * The inode of a target {@code TYPE:[N]} of length {@code length}, or -1 when the bytes are not
     * that (another type, no brackets, not a decimal of at most 19 digits).
     */
    public static long inode(byte[] target, int length, String type) {
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(type, "type is null");
        if (length < 0 || length > target.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + target.length);
        }
        int open = type.length() + 2; // "TYPE:["
        if (length < open + 2 || target[length - 1] != ']' || target[open - 2] != ':' || target[open - 1] != '['
                || length - 1 - open > 19) {
            return -1;
        }
        for (int i = 0; i < type.length(); i++) {
            if (target[i] != type.charAt(i)) {
                return -1;
            }
        }
        long v = 0;
        for (int i = open; i < length - 1; i++) {
            int d = target[i] - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
