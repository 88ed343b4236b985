package dev.netwarden.web;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.live.RateTable.FlowRate;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The orders of {@code GET /api/connections?sort=KEY&order=asc|desc}: by any column of the live table.
 *
 * <p>Why in the daemon: the Connections page shows about forty of possibly 10,000 rows; sorting here
 * lets it ask for just the rows on screen ({@code offset}, {@code limit}) instead of every connection
 * every second (megabytes of JSON a second, most of the daemon's CPU for an open page). Unknown values
 * (no process, counters the kernel did not give) sort last in both directions; ties go newest first.
 */
final class ConnectionOrder {
    static final Set<String> KEYS = Set.of("startedAt", "app", "pid", "user", "local", "remote", "domain", "port",
            "proto", "state", "direction", "bytesOut", "bytesIn", "rateOut", "rateIn");

    private ConnectionOrder() {
    }

    /**
     * {@code flows} sorted by {@code key} ({@code null}: startedAt), descending unless {@code order} is
     * "asc" ({@code null}: descending for startedAt, ascending otherwise). An unknown key or order is
     * a 400 that lists the choices.
     */
    static List<FlowRate> sort(List<FlowRate> flows, String key, String order) {
        String k = key == null || key.isBlank() ? "startedAt" : key;
        if (!KEYS.contains(k)) {
            throw ApiError.badRequest("sort must be one of " + String.join(", ", KEYS.stream().sorted().toList()) + ", not '" + key + "'");
        }
        boolean descending;
        if (order == null || order.isBlank()) {
            descending = k.equals("startedAt");
        } else if (order.equals("asc") || order.equals("desc")) {
            descending = order.equals("desc");
        } else {
            throw ApiError.badRequest("order must be asc or desc, not '" + order + "'");
        }
        Function<FlowRate, Comparable<?>> extract = extractor(k);
        List<Keyed> keyed = new ArrayList<>(flows.size());
        for (FlowRate f : flows) {
            keyed.add(new Keyed(extract.apply(f), f));
        }
        int sign = descending ? -1 : 1;
        keyed.sort((a, b) -> {
            int c = compare(a.key, b.key, sign);
            if (c != 0) {
                return c;
            }
            c = Long.compare(b.flow.flow().opened().startMillis(), a.flow.flow().opened().startMillis());
            return c != 0 ? c : Long.compare(b.flow.flow().flowId(), a.flow.flow().flowId());
        });
        List<FlowRate> out = new ArrayList<>(keyed.size());
        for (Keyed x : keyed) {
            out.add(x.flow);
        }
        return out;
    }

    private record Keyed(Comparable<?> key, FlowRate flow) {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable a, Comparable b, int sign) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? 1 : -1; // unknown last, whatever the direction
        }
        return sign * a.compareTo(b);
    }

    private static Function<FlowRate, Comparable<?>> extractor(String key) {
        return switch (key) {
            case "startedAt" -> f -> f.flow().opened().startMillis();
            case "app" -> f -> lower(app(info(f)));
            case "pid" -> f -> info(f) == null ? null : (Comparable<?>) info(f).pid();
            case "user" -> f -> info(f) == null ? null : lower(info(f).user());
            case "local" -> f -> endpoint(f.flow().opened().local());
            case "remote" -> f -> endpoint(f.flow().opened().remote());
            case "domain" -> f -> lower(f.flow().opened().domain());
            case "port" -> f -> servicePort(f.flow().opened());
            case "proto" -> f -> f.flow().opened().transport().label();
            case "state" -> f -> lower(f.flow().state());
            case "direction" -> f -> f.flow().opened().direction().label();
            case "bytesOut" -> f -> known(f.flow().counters().bytesOut());
            case "bytesIn" -> f -> known(f.flow().counters().bytesIn());
            case "rateOut" -> f -> f.outPerSecond() < 0 ? null : (Comparable<?>) f.outPerSecond();
            case "rateIn" -> f -> f.inPerSecond() < 0 ? null : (Comparable<?>) f.inPerSecond();
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static ProcessInfo info(FlowRate f) {
        var p = f.flow().opened().attribution().process();
        return p == null ? null : p.info();
    }

    private static String app(ProcessInfo info) {
        if (info == null) {
            return null;
        }
        if (info.comm() != null && !info.comm().isEmpty()) {
            return info.comm();
        }
        String exe = info.exe();
        return exe == null ? null : exe.substring(exe.lastIndexOf('/') + 1);
    }

    private static String lower(String s) {
        return s == null || s.isEmpty() ? null : s.toLowerCase(Locale.ROOT);
    }

    private static Long known(long n) {
        return n < 0 ? null : n;
    }

    private static Integer servicePort(FlowEvent.Opened e) {
        boolean remote = e.direction() == Direction.OUTBOUND || e.direction() == Direction.UNKNOWN;
        return remote ? e.remote().port() : e.local().port();
    }

    /** Address bytes (IPv4 before IPv6, numerically), then the port. */
    private static String endpoint(InetEndpoint ep) {
        byte[] a = ep.address().getAddress();
        StringBuilder b = new StringBuilder(a.length * 2 + 8);
        b.append(a.length == 4 ? '4' : '6');
        for (byte x : a) {
            b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return b.append(String.format("%05d", ep.port())).toString();
    }
}
