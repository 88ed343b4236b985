package dev.netwarden.dns;

import dev.netwarden.packet.IpPacket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The recorded bytes under test resources (record_fixtures.sh): DNS messages and whole IP packets. */
final class Fixtures {
    private Fixtures() {
    }

    /** A DNS message, e.g. "cname_www_a". */
    static byte[] message(String name) {
        return read(Fixtures.class, name);
    }

    /** An IP packet from its header on, e.g. "udp4_answer". */
    static byte[] packet(String name) {
        return read(IpPacket.class, name);
    }

    private static byte[] read(Class<?> base, String name) {
        try (InputStream in = base.getResourceAsStream(name + ".bin")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
