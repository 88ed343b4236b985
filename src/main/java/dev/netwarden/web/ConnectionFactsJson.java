package dev.netwarden.web;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.proc.UserNames;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The connection a {@code POST /api/rules/test} body describes, as the rules see connections (what
 * {@code netwarden rules test} builds from its flags). Absent fields are unknown: no process fields
 * means an unattributed connection, no address means 0.0.0.0.
 */
final class ConnectionFactsJson {
    static final Set<String> FIELDS = Set.of("exe", "comm", "cmdline", "user", "host", "address", "port", "protocol",
            "parentExe", "sha256", "interface", "direction");

    private ConnectionFactsJson() {
    }

    static ConnectionFacts parse(ObjectNode body) {
        Json.onlyFields(body, FIELDS);
        Transport transport = choice(Json.string(body, "protocol"), Transport.class, Transport.TCP, "protocol");
        Direction direction = choice(Json.string(body, "direction"), Direction.class, Direction.OUTBOUND, "direction");
        String addressText = Json.string(body, "address");
        InetAddress remote;
        try {
            remote = InetAddress.ofLiteral(addressText == null ? "0.0.0.0" : addressText.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("address: '" + addressText + "' is not an IP address");
        }
        int port = (int) Json.integer(body, "port", 0, 0, 65535);
        boolean v4 = remote.getAddress().length == 4;
        InetAddress local = InetAddress.ofLiteral(v4 ? "0.0.0.0" : "::");
        InetEndpoint remoteEp = new InetEndpoint(remote, direction == Direction.OUTBOUND ? port : 0);
        InetEndpoint localEp = new InetEndpoint(local, direction == Direction.OUTBOUND ? 0 : port);
        String user = Json.string(body, "user");
        int uid = -1;
        String userName = null;
        if (user != null && !user.isBlank()) {
            if (user.length() < 10 && user.chars().allMatch(Character::isDigit)) {
                uid = Integer.parseInt(user);
                userName = UserNames.read(Path.of("/etc/passwd")).nameOf(uid);
            } else {
                userName = user;
                uid = uidOf(user);
            }
        }
        String exe = Json.string(body, "exe");
        String comm = Json.string(body, "comm");
        String cmdline = Json.string(body, "cmdline");
        String sha256 = Json.string(body, "sha256");
        List<ProcessSnapshot.ParentLink> parents = new ArrayList<>();
        JsonNode parentExe = body.get("parentExe");
        if (parentExe != null && !parentExe.isNull()) {
            List<String> values = new ArrayList<>();
            if (parentExe.isString()) {
                values.add(parentExe.asString());
            } else if (parentExe.isArray()) {
                for (JsonNode n : parentExe) {
                    if (!n.isString()) {
                        throw ApiError.badRequest("\"parentExe\" must be a string or a list of strings");
                    }
                    values.add(n.asString());
                }
            } else {
                throw ApiError.badRequest("\"parentExe\" must be a string or a list of strings");
            }
            for (String pe : values) {
                parents.add(new ProcessSnapshot.ParentLink(-1, pe.substring(pe.lastIndexOf('/') + 1), pe));
            }
        }
        ProcessSnapshot snapshot = null;
        if (exe != null || comm != null || cmdline != null || sha256 != null || !parents.isEmpty() || userName != null) {
            String name = comm != null ? comm : exe == null ? null : exe.substring(exe.lastIndexOf('/') + 1);
            List<String> argv = cmdline != null ? List.of(cmdline.split(" ", -1)) : exe == null ? List.of() : List.of(exe);
            snapshot = new ProcessSnapshot(new ProcessInfo(-1, -1, uid, userName, name, exe, false, argv, -1, null, null),
                    sha256, null, parents);
        }
        String host = Json.string(body, "host");
        return new ConnectionFacts(transport, v4 ? 2 : 10, direction, localEp, remoteEp,
                host == null || host.isBlank() ? null : host.strip(), Json.string(body, "interface"), uid, snapshot);
    }

    private static <E extends Enum<E>> E choice(String value, Class<E> type, E fallback, String field) {
        if (value == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw ApiError.badRequest(field + ": '" + value + "' is not one of " + String.join(", ",
                java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static int uidOf(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(name)) {
                    return Integer.parseInt(f[2]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
