package dev.netwarden.linux.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test support: hand-made netlink bytes (host byte order), including deliberately broken ones. */
final class NetlinkBytes {
    private final ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());

    NetlinkBytes header(int len, int type, int flags, int seq, int pid) {
        buf.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
        return this;
    }

    NetlinkBytes attr(int len, int type, byte... value) {
        buf.putShort((short) len).putShort((short) type).put(value);
        return this;
    }

    NetlinkBytes i32(int v) {
        buf.putInt(v);
        return this;
    }

    NetlinkBytes bytes(byte... b) {
        buf.put(b);
        return this;
    }

    NetlinkBytes pad() {
        while (buf.position() % 4 != 0) {
            buf.put((byte) 0);
        }
        return this;
    }

    byte[] toArray() {
        byte[] out = new byte[buf.position()];
        buf.duplicate().flip().get(out);
        return out;
    }
}
