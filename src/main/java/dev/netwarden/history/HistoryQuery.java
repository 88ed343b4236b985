package dev.netwarden.history;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * What to read from history: a time range {@code [fromMillis, untilMillis)} of connection start
 * times and optional filters (null = any). All filters must match.
 *
 * @param app       the process's comm, or its executable's file name
 * @param exe       the executable's full path
 * @param host      a domain name, exactly, or {@code *.example.com} for example.com and every name under it
 * @param address   a remote address or network; with {@code prefixLength} (32/128 = one address). An
 *                  IPv4 network also matches IPv4-mapped IPv6 addresses (dual-stack sockets)
 * @param port      the remote port, or the local port (inbound and listening sockets)
 * @param user      the process's user name or numeric uid
 * @param transport tcp, udp, icmp or raw
 * @param direction outbound, inbound, listen or unknown
 * @param limit     most rows a list or ranking returns
 * @param action    the firewall's decision: allow, deny or reject (connections never decided never match)
 */
public record HistoryQuery(long fromMillis, long untilMillis, String app, String exe, String host,
                           InetAddress address, int prefixLength, Integer port, String user, String transport,
                           String direction, int limit, String action) {

    public static final int DEFAULT_LIMIT = 100;

    public HistoryQuery {
        if (untilMillis < fromMillis) {
            throw new IllegalArgumentException("the range ends before it starts");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        if (address != null) {
            int bits = address.getAddress().length * 8;
            if (prefixLength < 0 || prefixLength > bits) {
                throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address.getHostAddress());
            }
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        transport = transport == null ? null : transport.toLowerCase(Locale.ROOT);
        direction = direction == null ? null : direction.toLowerCase(Locale.ROOT);
        action = action == null ? null : action.toLowerCase(Locale.ROOT);
        host = host == null ? null : host.toLowerCase(Locale.ROOT);
    }

    /** Everything in {@code [fromMillis, untilMillis)}, the default limit. */
    public static HistoryQuery between(long fromMillis, long untilMillis) {
        return new HistoryQuery(fromMillis, untilMillis, null, null, null, null, 0, null, null, null, null, DEFAULT_LIMIT, null);
    }

    public HistoryQuery withApp(String v) {
        return new HistoryQuery(fromMillis, untilMillis, v, exe, host, address, prefixLength, port, user, transport, direction, limit, action);
    }

    public HistoryQuery withExe(String v) {
        return new HistoryQuery(fromMillis, untilMillis, app, v, host, address, prefixLength, port, user, transport, direction, limit, action);
    }

    public HistoryQuery withHost(String v) {
        return new HistoryQuery(fromMillis, untilMillis, app, exe, v, address, prefixLength, port, user, transport, direction, limit, action);
    }

    public HistoryQuery withAddress(InetAddress v, int prefix) {
        Objects.requireNonNull(v, "address is null");
        return new HistoryQuery(fromMillis, untilMillis, app, exe, host, v, prefix, port, user, transport, direction, limit, action);
    }

    public HistoryQuery withPort(Integer v) {
        return new HistoryQuery(fromMillis, untilMillis, app, exe, host, address, prefixLength, v, user, transport, direction, limit, action);
    }

    public HistoryQuery withUser(String v) {
        return new HistoryQuery(fromMillis, untilMillis, app, exe, host, address, prefixLength, port, v, transport, direction, limit, action);
    }

    public HistoryQuery withTransport(String v) {
        return new HistoryQuery(fromMillis, untilMillis, app, exe, host, address, prefixLength, port, user, v, direction, limit, action);
    }

    public HistoryQuery withDirection(String v) {
        return new HistoryQuery(fromMillis, untilMillis, app, exe, host, address, prefixLength, port, user, transport, v, limit, action);
    }

    public HistoryQuery withLimit(int v) {
        return new HistoryQuery(fromMillis, untilMillis, app, exe, host, address, prefixLength, port, user, transport, direction, v, action);
    }

    public HistoryQuery withAction(String v) {
        return new HistoryQuery(fromMillis, untilMillis, app, exe, host, address, prefixLength, port, user, transport, direction, limit, v);
    }

    /** True when only the time range and the executable path restrict: the hourly rollup can answer. */
    boolean rollupAnswers() {
        return app == null && host == null && address == null && port == null && user == null && transport == null
                && direction == null && action == null;
    }
}
