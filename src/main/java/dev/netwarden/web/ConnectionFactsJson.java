package dev.netwarden.web;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.DescribedConnection;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.proc.UserNames;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
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
        List<String> parents = new ArrayList<>();
        JsonNode parentExe = body.get("parentExe");
        if (parentExe != null && !parentExe.isNull()) {
            if (parentExe.isString()) {
                parents.add(parentExe.asString());
            } else if (parentExe.isArray()) {
                for (JsonNode n : parentExe) {
                    if (!n.isString()) {
                        throw ApiError.badRequest("\"parentExe\" must be a string or a list of strings");
                    }
                    parents.add(n.asString());
                }
            } else {
                throw ApiError.badRequest("\"parentExe\" must be a string or a list of strings");
            }
        }
        return new DescribedConnection(transport, direction, remote, port, Json.string(body, "user"),
                Json.string(body, "exe"), Json.string(body, "comm"), Json.string(body, "cmdline"), Json.string(body, "sha256"),
                parents, -1, -1, Json.string(body, "host"), Json.string(body, "interface"))
                .facts(UserNames.read(Path.of("/etc/passwd")));
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
}
