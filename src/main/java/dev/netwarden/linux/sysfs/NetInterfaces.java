package dev.netwarden.linux.sysfs;

import dev.netwarden.linux.ffm.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Interface name ⇄ index of the caller's network namespace, read once from /sys/class/net.
 *
 * <p>Why sysfs and not netlink RTM_GETLINK: a handful of files, read only when a listing shows or
 * filters by interface; {@code ip netns exec} remounts /sys for the namespace, so it is the right view.
 * A missing or unreadable /sys yields an empty table: names then show as indexes.
 */
public final class NetInterfaces {
    private static final int O_DIR = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC;
    private static final int DIRENT_RECLEN = 16;
    private static final int DIRENT_NAME = 19;
    private static final long DENTS_SIZE = 32 * 1024;
    /** A bound on getdents64 calls: 32 KiB each holds hundreds of entries; 4096 batches is far beyond any host. */
    private static final int MAX_BATCHES = 4096;
    /** NAME_MAX: no directory entry name is longer. */
    private static final int NAME_MAX = 255;
    private static final byte[] INDEX_FILE = "/ifindex".getBytes(StandardCharsets.US_ASCII);
    private static final long VALUE_SIZE = 32;

    private final Map<String, Integer> byName;
    private final Map<Integer, String> byIndex;

    private NetInterfaces(Map<String, Integer> byName) {
        this.byName = Map.copyOf(byName);
        Map<Integer, String> rev = new HashMap<>();
        byName.forEach((n, i) -> rev.put(i, n));
        this.byIndex = Map.copyOf(rev);
    }

    /**
     * Reads {@code root}/NAME/ifindex for every interface (root is normally /sys/class/net).
     *
     * <p>Why getdents64 and openat rather than {@code Files.newDirectoryStream}: the JDK decodes file
     * names with {@code sun.jnu.encoding}, which is ASCII when the JVM runs without a UTF-8 locale
     * (systemd, {@code env -i}); an interface name with non-ASCII bytes (the kernel allows any bytes
     * but '/', ':' and whitespace) would come out with U+FFFD and its ifindex file could not even be
     * opened by that name. Here names are taken as bytes, decoded as UTF-8, and the ifindex file is
     * opened by those same bytes relative to the directory.
     */
    public static NetInterfaces read(Path root) {
        Map<String, Integer> names = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState state = new Libc.CallState(arena);
            MemorySegment rootPath = arena.allocateFrom(root.toString(), nativeCharset());
            int dirFd = Libc.openat(state, Libc.AT_FDCWD, rootPath, O_DIR);
            if (dirFd < 0) {
                return new NetInterfaces(names); // no /sys: indexes only
            }
            try {
                MemorySegment dents = arena.allocate(DENTS_SIZE, 8);
                MemorySegment indexPath = arena.allocate(NAME_MAX + INDEX_FILE.length + 1);
                MemorySegment value = arena.allocate(VALUE_SIZE);
                for (int batch = 0; batch < MAX_BATCHES; batch++) {
                    long got = Libc.getdents64(state, dirFd, dents, DENTS_SIZE);
                    if (got <= 0) {
                        break;
                    }
                    for (long off = 0; off < got; ) {
                        readEntry(state, dirFd, dents, off + DIRENT_NAME, indexPath, value, names);
                        off += Short.toUnsignedInt(dents.get(ValueLayout.JAVA_SHORT, off + DIRENT_RECLEN));
                    }
                }
            } finally {
                Libc.close(state, dirFd);
            }
        }
        return new NetInterfaces(names);
    }

    /** Adds the directory entry whose NUL-terminated name is at {@code at}, if it has a readable ifindex. */
    private static void readEntry(Libc.CallState state, int dirFd, MemorySegment dents, long at,
                                  MemorySegment indexPath, MemorySegment value, Map<String, Integer> names) {
        int len = 0;
        while (len < NAME_MAX && dents.get(ValueLayout.JAVA_BYTE, at + len) != 0) {
            len++;
        }
        byte[] name = dents.asSlice(at, len).toArray(ValueLayout.JAVA_BYTE);
        if (len == 0 || (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))) {
            return;
        }
        MemorySegment.copy(name, 0, indexPath, ValueLayout.JAVA_BYTE, 0, len);
        MemorySegment.copy(INDEX_FILE, 0, indexPath, ValueLayout.JAVA_BYTE, len, INDEX_FILE.length);
        indexPath.set(ValueLayout.JAVA_BYTE, len + INDEX_FILE.length, (byte) 0);
        int fd = Libc.openat(state, dirFd, indexPath, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) {
            return; // an interface that vanished, or an entry that is no interface
        }
        long got;
        try {
            got = Libc.read(state, fd, value, VALUE_SIZE);
        } finally {
            Libc.close(state, fd);
        }
        int index = parseIndex(value, got);
        if (index > 0) {
            names.put(new String(name, StandardCharsets.UTF_8), index);
        }
    }

    /** The positive decimal in the first {@code length} bytes (a trailing newline allowed), else -1. */
    private static int parseIndex(MemorySegment value, long length) {
        long v = 0;
        int digits = 0;
        for (long i = 0; i < length; i++) {
            byte b = value.get(ValueLayout.JAVA_BYTE, i);
            if (b == '\n' && i == length - 1 && digits > 0) {
                break;
            }
            if (b < '0' || b > '9' || ++digits > 10) {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return digits > 0 && v > 0 && v <= Integer.MAX_VALUE ? (int) v : -1;
    }

    /** The charset the JDK encodes paths with (sun.jnu.encoding), so {@code root} names the same file. */
    private static Charset nativeCharset() {
        String jnu = System.getProperty("sun.jnu.encoding");
        return jnu == null ? StandardCharsets.UTF_8 : Charset.forName(jnu, StandardCharsets.UTF_8);
    }

    public static NetInterfaces current() {
        return read(Path.of("/sys/class/net"));
    }

    /** The index of {@code name}, or 0 when there is no such interface. */
    public int indexOf(String name) {
        Integer i = byName.get(name);
        return i == null ? 0 : i;
    }

    /** The name of interface {@code index}, or null when unknown. */
    public String nameOf(int index) {
        return byIndex.get(index);
    }
}
