package dev.netwarden.linux.btf;

import dev.netwarden.linux.ffm.ErrnoException;
import dev.netwarden.linux.ffm.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A parsed BTF blob: the type section indexed by type id, names read from the string section on demand.
 * Pure: it works on the bytes it is given (a {@link MemorySegment}, so the kernel's 5 MB blob can sit in
 * native memory that is freed as soon as the few offsets are read, instead of growing the daemon's heap) (the running kernel's {@code /sys/kernel/btf/vmlinux}, or a
 * blob a test builds) and every read is bounds-checked, so hostile bytes give a
 * {@link MalformedBtfException}, never an out-of-bounds read or a loop.
 *
 * <p>Format: {@code include/uapi/linux/btf.h} and the kernel's Documentation/bpf/btf.rst. Only
 * little-endian blobs are read (the machines netwarden runs on); ids start at 1 (0 is void).
 */
public final class Btf {
    /** Where vmlinux's BTF is, when the kernel was built with CONFIG_DEBUG_INFO_BTF. */
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    static final int MAGIC = 0xEB9F;
    static final int HEADER_MIN = 24;
    static final int TYPE_HEADER = 12;

    // kinds (BTF_KIND_*)
    public static final int KIND_INT = 1;
    public static final int KIND_PTR = 2;
    public static final int KIND_ARRAY = 3;
    public static final int KIND_STRUCT = 4;
    public static final int KIND_UNION = 5;
    public static final int KIND_ENUM = 6;
    public static final int KIND_FWD = 7;
    public static final int KIND_TYPEDEF = 8;
    public static final int KIND_VOLATILE = 9;
    public static final int KIND_CONST = 10;
    public static final int KIND_RESTRICT = 11;
    public static final int KIND_FUNC = 12;
    public static final int KIND_FUNC_PROTO = 13;
    public static final int KIND_VAR = 14;
    public static final int KIND_DATASEC = 15;
    public static final int KIND_FLOAT = 16;
    public static final int KIND_DECL_TAG = 17;
    public static final int KIND_TYPE_TAG = 18;
    public static final int KIND_ENUM64 = 19;

    /** Anonymous struct/union members nest; real kernels go 3–4 deep. Hostile input must not recurse forever. */
    private static final int MAX_NESTING = 32;
    /** typedef/const/volatile chains: same reason. */
    private static final int MAX_MODIFIERS = 64;

    private final MemorySegment data;
    private final int stringsStart;
    private final int stringsEnd;
    /** positions[id] = offset of type id's record in {@link #data}; index 0 unused. */
    private final int[] positions;
    private final int count;
    /** {@link #find} answers: the iterator asks for the same few structs several times, each a walk of ~130k types. */
    private final Map<String, Integer> found = new HashMap<>();

    /** A member of a struct or union: its byte offset in the outermost struct asked about, and its type. */
    public record Member(int offset, int typeId) {
    }

    private Btf(MemorySegment data, int stringsStart, int stringsEnd, int[] positions, int count) {
        this.data = data;
        this.stringsStart = stringsStart;
        this.stringsEnd = stringsEnd;
        this.positions = positions;
        this.count = count;
    }

    /**
     * Parses the running kernel's BTF and hands it to {@code use}; the blob is only valid inside. Mapped
     * read-only where the kernel allows it (6.16+: no copy, pages faulted in as the parser reads),
     * else read into native memory, which sysfs hands over a page per read() (~1,300 reads, ~10 ms).
     */
    public static <T> T withVmlinux(Function<Btf, T> use) throws IOException {
        long size = Files.size(VMLINUX);
        if (size > Integer.MAX_VALUE - 8) {
            throw new MalformedBtfException(VMLINUX + " is " + size + " bytes");
        }
        Libc.CallState state = Libc.state();
        try (Arena arena = Arena.ofConfined()) {
            int fd = Libc.openat(state, Libc.AT_FDCWD, arena.allocateFrom(VMLINUX.toString()), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new ErrnoException("open " + VMLINUX, state.errno());
            }
            try {
                MemorySegment mapped = Libc.mmap(state, size, Libc.PROT_READ, Libc.MAP_PRIVATE, fd, 0);
                if (mapped != null) {
                    try {
                        return use.apply(parse(mapped));
                    } finally {
                        Libc.munmap(state, mapped);
                    }
                }
                MemorySegment data = arena.allocate(size);
                long filled = 0;
                while (filled < size) {
                    long got = Libc.read(state, fd, data.asSlice(filled), size - filled);
                    if (got < 0) {
                        throw new ErrnoException("read " + VMLINUX, state.errno());
                    }
                    if (got == 0) {
                        break;
                    }
                    filled += got;
                }
                return use.apply(parse(data.asSlice(0, filled)));
            } finally {
                Libc.close(state, fd);
            }
        }
    }

    /** Parses a BTF blob held in a Java array (tests, fuzzing). */
    public static Btf parse(byte[] data) {
        return parse(MemorySegment.ofArray(data));
    }

    /** Parses a BTF blob (header, type and string sections); the segment is kept, not copied. */
    public static Btf parse(MemorySegment data) {
        if (data.byteSize() < HEADER_MIN || data.byteSize() > Integer.MAX_VALUE - 8) {
            throw new MalformedBtfException("BTF of " + data.byteSize() + " bytes");
        }
        int magic = u16(data, 0);
        if (magic != MAGIC) {
            throw new MalformedBtfException(magic == 0x9FEB
                    ? "big-endian BTF is not supported"
                    : String.format("not BTF: magic 0x%04x", magic));
        }
        int version = data.get(ValueLayout.JAVA_BYTE, 2) & 0xff;
        if (version != 1) {
            throw new MalformedBtfException("unknown BTF version " + version);
        }
        long headerLength = u32(data, 4);
        if (headerLength < HEADER_MIN || headerLength > data.byteSize()) {
            throw new MalformedBtfException("bad BTF header length " + headerLength);
        }
        int typesStart = section(data, headerLength, u32(data, 8), u32(data, 12), "type");
        int typesEnd = typesStart + (int) u32(data, 12);
        int stringsStart = section(data, headerLength, u32(data, 16), u32(data, 20), "string");
        int stringsEnd = stringsStart + (int) u32(data, 20);

        int[] positions = new int[1 + Math.max(16, (typesEnd - typesStart) / 24)];
        int n = 1;
        int p = typesStart;
        while (p < typesEnd) {
            if (typesEnd - p < TYPE_HEADER) {
                throw new MalformedBtfException("type " + n + " cut short at byte " + p);
            }
            if (n == positions.length) {
                positions = Arrays.copyOf(positions, n * 2);
            }
            positions[n] = p;
            int info = i32(data, p + 4);
            long next = (long) p + TYPE_HEADER + trailingBytes(info, n);
            if (next > typesEnd) {
                throw new MalformedBtfException("type " + n + " runs past the type section");
            }
            p = (int) next;
            n++;
        }
        return new Btf(data, stringsStart, stringsEnd, positions, n);
    }

    /** How many type records, void not counted. */
    public int typeCount() {
        return count - 1;
    }

    /** The kind of a type (KIND_*). */
    public int kind(int id) {
        return kindOf(info(id));
    }

    /** The name of a type, "" when anonymous. */
    public String name(int id) {
        return string(i32(data, position(id)));
    }

    /**
     * The id of the first type of this kind and name.
     *
     * @throws NoSuchElementException when there is none
     */
    public int find(int kind, String name) {
        Integer known = found.get(kind + ":" + name);
        if (known != null) {
            return known;
        }
        int id = scanFor(kind, name);
        found.put(kind + ":" + name, id);
        return id;
    }

    private int scanFor(int kind, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int id = 1; id < count; id++) {
            int p = positions[id];
            if (kindOf(i32(data, p + 4)) == kind && nameEquals(i32(data, p), wanted)) {
                return id;
            }
        }
        throw new NoSuchElementException("no BTF " + kindName(kind) + " named " + name);
    }

    /**
     * A member of the struct named {@code struct}, looked up through anonymous struct and union members
     * as C does ({@code task_struct.tgid} may sit in an unnamed union one kernel and not the next).
     *
     * @throws NoSuchElementException when the struct or member does not exist
     * @throws MalformedBtfException            when the member is a bitfield (no byte offset)
     */
    public Member member(String struct, String member) {
        int id = find(KIND_STRUCT, struct);
        Member m = member(id, member.getBytes(StandardCharsets.UTF_8), 0);
        if (m == null) {
            throw new NoSuchElementException("struct " + struct + " has no member " + member);
        }
        return m;
    }

    private Member member(int structId, byte[] wanted, int depth) {
        if (depth > MAX_NESTING) {
            throw new MalformedBtfException("struct/union members nested deeper than " + MAX_NESTING);
        }
        int p = position(structId);
        int info = i32(data, p + 4);
        int kind = kindOf(info);
        if (kind != KIND_STRUCT && kind != KIND_UNION) {
            throw new MalformedBtfException("type " + structId + " is not a struct or union");
        }
        boolean bitfieldOffsets = (info >>> 31) != 0;
        int members = info & 0xffff;
        for (int i = 0; i < members; i++) {
            int mp = p + TYPE_HEADER + i * 12;
            int nameOffset = i32(data, mp);
            int type = i32(data, mp + 4);
            int offsetField = i32(data, mp + 8);
            int bitOffset = bitfieldOffsets ? offsetField & 0xffffff : offsetField;
            int bitSize = bitfieldOffsets ? offsetField >>> 24 : 0;
            if (nameOffset == 0) {
                int inner = resolve(type);
                int innerKind = kind(inner);
                if (innerKind == KIND_STRUCT || innerKind == KIND_UNION) {
                    Member found = member(inner, wanted, depth + 1);
                    if (found != null) {
                        return new Member(byteOffset(bitOffset, 0) + found.offset(), found.typeId());
                    }
                }
            } else if (nameEquals(nameOffset, wanted)) {
                return new Member(byteOffset(bitOffset, bitSize), type);
            }
        }
        return null;
    }

    private static int byteOffset(int bitOffset, int bitSize) {
        if (bitSize != 0 || bitOffset % 8 != 0 || bitOffset < 0) {
            throw new MalformedBtfException("member is a bitfield (bit offset " + bitOffset + ", size " + bitSize + ")");
        }
        return bitOffset / 8;
    }

    /** The type behind typedef, const, volatile, restrict and type tags. */
    public int resolve(int id) {
        int t = id;
        for (int i = 0; i < MAX_MODIFIERS; i++) {
            int k = kind(t);
            if (k != KIND_TYPEDEF && k != KIND_CONST && k != KIND_VOLATILE && k != KIND_RESTRICT && k != KIND_TYPE_TAG) {
                return t;
            }
            t = i32(data, position(t) + 8);
        }
        throw new MalformedBtfException("type " + id + ": modifier chain longer than " + MAX_MODIFIERS);
    }

    /** The size in bytes of a value of this type (after {@link #resolve}): ints, pointers, enums, structs, unions. */
    public int sizeOf(int id) {
        int t = resolve(id);
        int p = position(t);
        return switch (kind(t)) {
            case KIND_PTR -> 8;
            case KIND_INT, KIND_ENUM, KIND_ENUM64, KIND_STRUCT, KIND_UNION, KIND_FLOAT -> i32(data, p + 8);
            default -> throw new MalformedBtfException("type " + id + " (" + kindName(kind(t)) + ") has no size");
        };
    }

    private int position(int id) {
        if (id < 1 || id >= count) {
            throw new MalformedBtfException("type id " + id + " out of range 1.." + (count - 1));
        }
        return positions[id];
    }

    private int info(int id) {
        return i32(data, position(id) + 4);
    }

    private static int kindOf(int info) {
        return (info >>> 24) & 0x1f;
    }

    private boolean nameEquals(int nameOffset, byte[] wanted) {
        if (nameOffset < 0 || nameOffset > stringsEnd - stringsStart - wanted.length - 1) {
            return false;
        }
        int s = stringsStart + nameOffset;
        if (data.get(ValueLayout.JAVA_BYTE, s + wanted.length) != 0) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, s + i) != wanted[i]) {
                return false;
            }
        }
        return true;
    }

    private String string(int nameOffset) {
        if (nameOffset < 0 || nameOffset >= stringsEnd - stringsStart) {
            throw new MalformedBtfException("name offset " + nameOffset + " outside the string section");
        }
        int s = stringsStart + nameOffset;
        int e = s;
        while (e < stringsEnd && data.get(ValueLayout.JAVA_BYTE, e) != 0) {
            e++;
        }
        if (e == stringsEnd) {
            throw new MalformedBtfException("name at " + nameOffset + " is not NUL-terminated");
        }
        return new String(data.asSlice(s, e - s).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static long trailingBytes(int info, int id) {
        long vlen = info & 0xffff;
        return switch (kindOf(info)) {
            case KIND_INT, KIND_VAR, KIND_DECL_TAG -> 4;
            case KIND_ARRAY -> 12;
            case KIND_STRUCT, KIND_UNION, KIND_DATASEC, KIND_ENUM64 -> 12 * vlen;
            case KIND_ENUM, KIND_FUNC_PROTO -> 8 * vlen;
            case KIND_PTR, KIND_FWD, KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST, KIND_RESTRICT, KIND_FUNC, KIND_FLOAT,
                 KIND_TYPE_TAG -> 0;
            default -> throw new MalformedBtfException("type " + id + " has unknown kind " + kindOf(info));
        };
    }

    private static int section(MemorySegment data, long headerLength, long offset, long length, String what) {
        long start = headerLength + offset;
        if (start + length > data.byteSize()) {
            throw new MalformedBtfException("BTF " + what + " section (" + length + " bytes at " + start
                    + ") runs past the end (" + data.byteSize() + " bytes)");
        }
        return (int) start;
    }

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_INT -> "int";
            case KIND_PTR -> "pointer";
            case KIND_STRUCT -> "struct";
            case KIND_UNION -> "union";
            case KIND_FUNC -> "function";
            case KIND_TYPEDEF -> "typedef";
            case KIND_ENUM, KIND_ENUM64 -> "enum";
            default -> "kind " + kind;
        };
    }

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static int u16(MemorySegment b, int at) {
        return Short.toUnsignedInt(b.get(U16, at));
    }

    private static long u32(MemorySegment b, int at) {
        return i32(b, at) & 0xffffffffL;
    }

    private static int i32(MemorySegment b, int at) {
        if (at < 0 || at > b.byteSize() - 4) {
            throw new MalformedBtfException("read at " + at + " outside the blob");
        }
        return b.get(I32, at);
    }
}
