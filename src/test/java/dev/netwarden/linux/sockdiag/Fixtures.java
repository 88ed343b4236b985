package dev.netwarden.linux.sockdiag;

import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Test support: the kernel replies SockDiagRecorder recorded, and their parsed rows. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties recording() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes("recording.properties"), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Parses every message of an inet fixture as {@code netid}. */
    static List<SocketEntry> inet(String name, Netid netid) {
        MemorySegment seg = MemorySegment.ofArray(bytes(name));
        NetlinkMessageCursor c = new NetlinkMessageCursor(seg, 0, seg.byteSize());
        InetDiagParser parser = new InetDiagParser();
        List<SocketEntry> out = new ArrayList<>();
        while (c.next()) {
            out.add(parser.parse(seg, c.payloadOffset(), c.payloadLength(), netid));
        }
        return out;
    }

    static List<SocketEntry> unix(String name) {
        MemorySegment seg = MemorySegment.ofArray(bytes(name));
        NetlinkMessageCursor c = new NetlinkMessageCursor(seg, 0, seg.byteSize());
        List<SocketEntry> out = new ArrayList<>();
        while (c.next()) {
            out.add(UnixDiagParser.parse(seg, c.payloadOffset(), c.payloadLength()));
        }
        return out;
    }
}
