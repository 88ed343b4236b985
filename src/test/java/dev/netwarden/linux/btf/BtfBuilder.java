package dev.netwarden.linux.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes small BTF blobs for tests, type by type, as the kernel lays them out (little-endian). */
final class BtfBuilder {
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private int nextId = 1;

    BtfBuilder() {
        strings.write(0); // offset 0 is the empty name
    }

    int name(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int at = strings.size();
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        return at;
    }

    int intType(String name, int bytes) {
        header(name(name), Btf.KIND_INT, 0, false, bytes);
        u32(bytes * 8); // encoding: bits
        return nextId++;
    }

    int pointer(int to) {
        header(0, Btf.KIND_PTR, 0, false, to);
        return nextId++;
    }

    int typedef(String name, int to) {
        header(name(name), Btf.KIND_TYPEDEF, 0, false, to);
        return nextId++;
    }

    int func(String name, int proto) {
        header(name(name), Btf.KIND_FUNC, 0, false, proto);
        return nextId++;
    }

    /** members: name, type id, bit offset (or bitfield-encoded when kindFlag). */
    int struct(String name, int size, boolean union, boolean kindFlag, Object... members) {
        header(name(name), union ? Btf.KIND_UNION : Btf.KIND_STRUCT, members.length / 3, kindFlag, size);
        for (int i = 0; i < members.length; i += 3) {
            u32(name((String) members[i]));
            u32((Integer) members[i + 1]);
            u32((Integer) members[i + 2]);
        }
        return nextId++;
    }

    /** The id the next type will get (for forward references). */
    int nextId() {
        return nextId;
    }

    void rawType(int nameOffset, int info, int sizeOrType) {
        u32(nameOffset);
        u32(info);
        u32(sizeOrType);
        nextId++;
    }

    byte[] build() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xEB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        b.put(t).put(s);
        return b.array();
    }

    private void header(int nameOffset, int kind, int vlen, boolean kindFlag, int sizeOrType) {
        u32(nameOffset);
        u32(vlen | kind << 24 | (kindFlag ? 1 << 31 : 0));
        u32(sizeOrType);
    }

    private void u32(int v) {
        types.write(v);
        types.write(v >>> 8);
        types.write(v >>> 16);
        types.write(v >>> 24);
    }
}
