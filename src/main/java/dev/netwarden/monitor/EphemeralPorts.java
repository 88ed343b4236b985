package dev.netwarden.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The namespace's ephemeral port range ({@code net.ipv4.ip_local_port_range}, which IPv6 uses too):
 * the ports the kernel picks for an outbound connection's local end.
 */
public record EphemeralPorts(int low, int high) {
    /** Linux's default range. */
    public static final EphemeralPorts LINUX_DEFAULT = new EphemeralPorts(32768, 60999);

    public EphemeralPorts {
        if (low < 1 || high > 0xFFFF || low > high) {
            throw new IllegalArgumentException("bad port range " + low + "-" + high);
        }
    }

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    /** Parses the sysctl file's text: two decimal numbers separated by white space. */
    public static EphemeralPorts parse(String text) {
        String[] f = text.strip().split("\\s+");
        if (f.length != 2) {
            throw new IllegalArgumentException("not a port range: " + text.strip());
        }
        try {
            return new EphemeralPorts(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port range: " + text.strip());
        }
    }

    /**
     * The calling thread's namespace's range (/proc/sys/net is resolved per reader's namespace), or
     * the Linux default when it cannot be read.
     */
    public static EphemeralPorts readOrDefault() {
        try {
            return parse(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII));
        } catch (IOException | IllegalArgumentException e) {
            return LINUX_DEFAULT;
        }
    }
}
