package dev.netwarden.linux.proc;

import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the kernel's {@code /proc/net/raw} and {@code /proc/net/raw6} tables into RAW socket entries.
 *
 * <p>Why: sock_diag answers RAW dumps only when the kernel has {@code CONFIG_INET_RAW_DIAG}; this
 * machine's kernel does not, and {@code ss -w} falls back to these files too. The files are the
 * kernel's own text (per network namespace), not another tool's output.
 *
 * <p>Format (net/ipv4/raw.c, net/ipv6/raw.c): a header line, then per socket
 * {@code sl: LOCAL REMOTE st tx_queue:rx_queue tr:when retrnsmt uid timeout inode ...}, where an
 * address is the in-memory bytes of the (network order) address printed as host-order 32-bit hex
 * words, and the "port" after ':' is the raw protocol number (local) or 0.
 */
public final class ProcNetRawParser {
    private ProcNetRawParser() {
    }

    /**
     * @param family {@link SocketEntry#AF_INET} for raw, {@link SocketEntry#AF_INET6} for raw6
     * @throws MalformedProcFileException on a line that does not have the kernel's shape
     */
    public static List<SocketEntry> parse(byte[] bytes, int length, int family) {
        if (family != SocketEntry.AF_INET && family != SocketEntry.AF_INET6) {
            throw new IllegalArgumentException("family must be AF_INET or AF_INET6: " + family);
        }
        String text = new String(bytes, 0, length, StandardCharsets.US_ASCII);
        List<SocketEntry> out = new ArrayList<>();
        boolean header = true;
        for (String line : text.split("\n")) {
            if (header) {
                header = false;
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            out.add(parseLine(trimmed.split("\\s+"), family, line));
        }
        return out;
    }

    private static SocketEntry parseLine(String[] f, int family, String line) {
        if (f.length < 10 || !f[0].endsWith(":")) {
            throw new MalformedProcFileException("not a raw socket line: " + abbreviate(line));
        }
        InetEndpoint local = endpoint(f[1], family, line);
        InetEndpoint remote = endpoint(f[2], family, line);
        int state = (int) hex(f[3], 2, line);
        String[] queues = f[4].split(":");
        if (queues.length != 2) {
            throw new MalformedProcFileException("bad queue field in: " + abbreviate(line));
        }
        long tx = hex(queues[0], 8, line);
        long rx = hex(queues[1], 8, line);
        int uid = (int) decimal(f[7], line);
        long inode = decimal(f[9], line);
        return new SocketEntry(Netid.RAW, family, SocketState.fromCode(state), local, remote, null, 0,
                rx, tx, uid, inode, 0, 0, null, null, null);
    }

    private static InetEndpoint endpoint(String field, int family, String line) {
        int colon = field.indexOf(':');
        int hexLen = family == SocketEntry.AF_INET ? 8 : 32;
        if (colon != hexLen || field.length() != hexLen + 5) {
            throw new MalformedProcFileException("bad address field '" + abbreviate(field) + "' in: " + abbreviate(line));
        }
        byte[] addr = new byte[hexLen / 2];
        for (int word = 0; word < hexLen / 8; word++) {
            long w = hex(field.substring(word * 8, word * 8 + 8), 8, line);
            // The word was printed from memory in host (little-endian) order: its lowest byte comes first.
            for (int i = 0; i < 4; i++) {
                addr[word * 4 + i] = (byte) (w >>> (8 * i));
            }
        }
        int port = (int) hex(field.substring(colon + 1), 4, line);
        try {
            return new InetEndpoint(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new MalformedProcFileException("bad address length in: " + abbreviate(line));
        }
    }

    private static long hex(String s, int maxDigits, String line) {
        // Long.parseLong alone would accept a sign ("-3A"): the kernel never prints one.
        if (s.isEmpty() || s.length() > maxDigits || Character.digit(s.charAt(0), 16) < 0) {
            throw new MalformedProcFileException("bad hex number '" + abbreviate(s) + "' in: " + abbreviate(line));
        }
        try {
            return Long.parseLong(s, 16);
        } catch (NumberFormatException e) {
            throw new MalformedProcFileException("bad hex number '" + abbreviate(s) + "' in: " + abbreviate(line));
        }
    }

    private static long decimal(String s, String line) {
        if (s.isEmpty() || s.length() > 19 || !Character.isDigit(s.charAt(0))) {
            throw new MalformedProcFileException("bad number '" + abbreviate(s) + "' in: " + abbreviate(line));
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MalformedProcFileException("bad number '" + abbreviate(s) + "' in: " + abbreviate(line));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
