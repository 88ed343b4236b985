package dev.netwarden.conns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.netwarden.socket.Netid;

/**
 * Port numbers and service names, as {@code /etc/services} pairs them: {@code 443/tcp} shows as
 * {@code https}, and the filter accepts {@code :https} for 443.
 *
 * <p>Why an own parser rather than {@code getservbyname(3)}: the core stays pure (it is handed the
 * file's text, so tests and the fuzzer feed it anything) and the table needs a lookup per row
 * without a native call. Lookups by port go through two flat arrays of 65536 entries (one per
 * protocol), so the per-row cost is one array load.
 *
 * <p>Parsing is lenient like libc's: a line is {@code name port/protocol [alias...] [# comment]};
 * lines that do not fit are skipped, never fatal. The first entry for a port wins (libc returns the
 * first match too). Only tcp and udp are kept; other protocols (sctp, ddp) are ignored.
 */
public final class Services {

    /** The file libc reads. */
    public static final Path ETC_SERVICES = Path.of("/etc/services");

    private static final int PORTS = 65536;

    private final String[] tcpNames;
    private final String[] udpNames;
    private final Map<String, Integer> tcpPorts;
    private final Map<String, Integer> udpPorts;

    private Services(String[] tcpNames, String[] udpNames, Map<String, Integer> tcpPorts, Map<String, Integer> udpPorts) {
        this.tcpNames = tcpNames;
        this.udpNames = udpNames;
        this.tcpPorts = tcpPorts;
        this.udpPorts = udpPorts;
    }

    /** Parses the text of a services file. Never fails: malformed lines are skipped. */
    public static Services parse(CharSequence text) {
        Objects.requireNonNull(text, "text is null");
        String[] tcp = new String[PORTS];
        String[] udp = new String[PORTS];
        Map<String, Integer> tcpPorts = new HashMap<>();
        Map<String, Integer> udpPorts = new HashMap<>();
        CommentedLines.forEach(text, (t, from, to) ->
                parseLine(t.subSequence(from, to).toString(), tcp, udp, tcpPorts, udpPorts));
        return new Services(tcp, udp, Map.copyOf(tcpPorts), Map.copyOf(udpPorts));
    }

    /** Parses the bytes of a services file (UTF-8; invalid bytes become U+FFFD). */
    public static Services parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes is null");
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /**
     * Reads {@code file}; when it does not exist, returns {@link #builtin()} so that a minimal
     * container without {@code /etc/services} still shows the common names.
     */
    public static Services load(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return builtin();
        }
    }

    /** The handful of services everyone knows, for machines without {@code /etc/services}. */
    public static Services builtin() {
        return BuiltinHolder.BUILTIN;
    }

    /** No names at all: what {@code -n} means for output. */
    public static Services none() {
        return NoneHolder.NONE;
    }

    /** The service name for {@code port} under {@code protocol} ("tcp" or "udp"), or null. */
    public String name(int port, String protocol) {
        if (port < 0 || port >= PORTS) {
            return null;
        }
        return switch (protocol) {
            case "tcp" -> tcpNames[port];
            case "udp" -> udpNames[port];
            default -> null;
        };
    }

    /** The service name for a port of a socket of kind {@code netid}, or null (RAW, UNIX, unknown port). */
    public String name(Netid netid, int port) {
        if (port <= 0 || port >= PORTS) {
            return null;
        }
        return switch (netid) {
            case TCP -> tcpNames[port];
            case UDP -> udpNames[port];
            default -> null;
        };
    }

    /** The port of {@code name} under {@code protocol}, or -1. Names are case-sensitive, as in libc. */
    public int port(String name, String protocol) {
        Integer p = switch (protocol) {
            case "tcp" -> tcpPorts.get(name);
            case "udp" -> udpPorts.get(name);
            default -> null;
        };
        return p == null ? -1 : p;
    }

    /** The port of {@code name} under tcp, else udp, else -1: what the filter needs ({@code :ssh}). */
    public int port(String name) {
        int p = port(name, "tcp");
        return p >= 0 ? p : port(name, "udp");
    }

    private static void parseLine(String line, String[] tcp, String[] udp,
                                  Map<String, Integer> tcpPorts, Map<String, Integer> udpPorts) {
        String[] fields = line.trim().split("[ \t\r\f\u000b]+");
        if (fields.length < 2 || fields[0].isEmpty()) {
            return;
        }
        String portProto = fields[1];
        int slash = portProto.indexOf('/');
        if (slash <= 0 || slash == portProto.length() - 1) {
            return;
        }
        int port = parsePort(portProto, slash);
        if (port < 0) {
            return;
        }
        String proto = portProto.substring(slash + 1).toLowerCase(Locale.ROOT);
        String[] names;
        Map<String, Integer> ports;
        switch (proto) {
            case "tcp" -> { names = tcp; ports = tcpPorts; }
            case "udp" -> { names = udp; ports = udpPorts; }
            default -> { return; }
        }
        if (names[port] == null) {
            names[port] = fields[0];
        }
        ports.putIfAbsent(fields[0], port);
        for (int i = 2; i < fields.length; i++) {
            ports.putIfAbsent(fields[i], port);
        }
    }

    private static int parsePort(String s, int end) {
        if (end > 5) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v < PORTS ? v : -1;
    }

    private static final class BuiltinHolder {
        static final Services BUILTIN = parse("""
                ftp-data 20/tcp
                ftp 21/tcp
                ssh 22/tcp
                telnet 23/tcp
                smtp 25/tcp mail
                domain 53/tcp
                domain 53/udp
                bootps 67/udp
                bootpc 68/udp
                tftp 69/udp
                http 80/tcp www
                pop3 110/tcp pop-3
                ntp 123/udp
                imap2 143/tcp imap
                snmp 161/udp
                ldap 389/tcp
                https 443/tcp
                https 443/udp
                submissions 465/tcp ssmtp smtps
                syslog 514/udp
                submission 587/tcp
                ldaps 636/tcp
                imaps 993/tcp
                pop3s 995/tcp
                openvpn 1194/tcp
                openvpn 1194/udp
                mysql 3306/tcp
                postgresql 5432/tcp postgres
                mdns 5353/udp
                """);
    }

    private static final class NoneHolder {
        static final Services NONE = parse("");
    }
}
