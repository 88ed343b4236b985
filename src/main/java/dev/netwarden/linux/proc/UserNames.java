package dev.netwarden.linux.proc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * uid → user name, from {@code /etc/passwd}, for display only: an unknown uid shows as its number
 * (as ps and ss do). Users from NSS sources other than the file (LDAP, sssd) are not resolved; that
 * would need getpwuid through the C library and is not worth it for a label. Immutable.
 */
public final class UserNames {
    private final Map<Integer, String> names;
    private final Map<String, Integer> uids;

    private UserNames(Map<Integer, String> names, Map<String, Integer> uids) {
        this.names = Map.copyOf(names);
        this.uids = Map.copyOf(uids);
    }

    /** No names: every uid shows as its number. */
    public static UserNames none() {
        return new UserNames(Map.of(), Map.of());
    }

    /**
     * Parses passwd lines {@code name:password:uid:gid:gecos:home:shell}. Lines that do not have that
     * shape (comments, NIS {@code +}/{@code -} entries, garbage) are skipped, not fatal: one bad line
     * must not hide every user's name. The first line for a uid wins, as in getpwuid, and the first line
     * for a name, as in getpwnam. Never throws.
     */
    public static UserNames parse(byte[] bytes, int length) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        Map<Integer, String> names = new HashMap<>();
        Map<String, Integer> uids = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            int c1 = line.indexOf(':');
            int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
            int c3 = c2 < 0 ? -1 : line.indexOf(':', c2 + 1);
            if (c1 <= 0 || c3 < 0 || c3 == c2 + 1 || line.charAt(0) == '#'
                    || line.charAt(0) == '+' || line.charAt(0) == '-') {
                continue;
            }
            long uid = parseUid(line, c2 + 1, c3);
            if (uid >= 0) {
                names.putIfAbsent((int) uid, line.substring(0, c1));
                uids.putIfAbsent(line.substring(0, c1), (int) uid);
            }
        }
        return new UserNames(names, uids);
    }

    public static UserNames parse(byte[] bytes) {
        return parse(bytes, bytes.length);
    }

    /** Reads and parses a passwd file; an unreadable file gives {@link #none()}. */
    public static UserNames read(Path passwd) {
        try {
            return parse(Files.readAllBytes(passwd));
        } catch (IOException e) {
            return none();
        }
    }

    /** The name of {@code uid}, or the uid as an unsigned decimal when the file does not name it. */
    public String nameOf(int uid) {
        String name = names.get(uid);
        return name != null ? name : Integer.toUnsignedString(uid);
    }

    /**
     * The uid of the user called {@code name}, or -1 when the file does not name it (so that a
     * described connection with an unknown user matches no uid rule rather than root's).
     */
    public int uidOf(String name) {
        Integer uid = uids.get(name);
        return uid != null ? uid : -1;
    }

    /** How many uids have a name. */
    public int size() {
        return names.size();
    }

    private static long parseUid(String s, int from, int to) {
        if (to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > 0xFFFF_FFFFL ? -1 : v;
    }
}
