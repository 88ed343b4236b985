package dev.netwarden.web;

import dev.netwarden.history.HistoryQuery;
import dev.netwarden.history.TimeArgument;

import java.net.InetAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * The history endpoints' query parameters as a {@link HistoryQuery}: {@code since}/{@code until} in
 * every form {@code netwarden history --since} takes ({@link TimeArgument}: 10m, 2d, ISO-8601; default
 * the last 24 hours), and the same filters with the same allowed values.
 */
final class HistoryParams {
    static final Set<String> FILTERS = Set.of("since", "until", "app", "exe", "host", "address", "port", "user", "action",
            "proto", "direction");

    private HistoryParams() {
    }

    static HistoryQuery query(ApiRequest r, int defaultLimit, int maxLimit) {
        Instant now = Instant.now();
        ZoneId zone = ZoneId.systemDefault();
        long from;
        long to;
        try {
            from = r.param("since") == null ? now.minusSeconds(86_400).toEpochMilli() : TimeArgument.parse(r.param("since"), now, zone);
            to = r.param("until") == null ? now.toEpochMilli() + 1 : TimeArgument.parse(r.param("until"), now, zone);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (to < from) {
            throw ApiError.badRequest("until is before since");
        }
        HistoryQuery q = HistoryQuery.between(from, to).withLimit(r.intParam("limit", defaultLimit, 1, maxLimit));
        q = q.withApp(text(r, "app")).withExe(text(r, "exe")).withHost(text(r, "host")).withUser(text(r, "user"))
                .withTransport(r.choiceParam("proto", Set.of("tcp", "udp", "icmp", "raw"), null))
                .withDirection(r.choiceParam("direction", Set.of("outbound", "inbound", "listen", "unknown"), null))
                .withAction(r.choiceParam("action", Set.of("allow", "deny", "reject"), null));
        if (r.param("port") != null) {
            q = q.withPort(r.intParam("port", 0, 0, 65535));
        }
        String addr = text(r, "address");
        if (addr != null) {
            int slash = addr.indexOf('/');
            InetAddress a;
            try {
                a = InetAddress.ofLiteral(slash < 0 ? addr : addr.substring(0, slash));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("address: '" + addr + "' is not an IP address or network");
            }
            int bits = a.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(addr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw ApiError.badRequest("address: prefix length must be 0.." + bits + " in '" + addr + "'");
                }
            }
            q = q.withAddress(a, prefix);
        }
        return q;
    }

    private static String text(ApiRequest r, String name) {
        String v = r.param(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
