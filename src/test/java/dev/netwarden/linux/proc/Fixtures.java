package dev.netwarden.linux.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the files recorded from a real /proc under src/test/resources/.../proc/real. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] real(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("real/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
