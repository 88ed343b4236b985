package dev.netwarden.history;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link HistoryQuery}'s filters as a SQL condition over {@code connections c} joined with
 * {@code processes p}, {@code executables e} and {@code hosts h}, with its parameters in order.
 * Only bound parameters carry user input; the SQL text is fixed.
 */
final class SqlFilter {
    final StringBuilder where = new StringBuilder();
    final List<Object> params = new ArrayList<>();

    /** Every filter of {@code q} except the time range. */
    static SqlFilter of(HistoryQuery q) {
        SqlFilter f = new SqlFilter();
        if (q.app() != null) {
            f.and("(p.comm = ? OR e.path = ? OR e.path LIKE ? ESCAPE '\\')", q.app(), q.app(), "%/" + likeEscape(q.app()));
        }
        if (q.exe() != null) {
            f.and("e.path = ?", q.exe());
        }
        if (q.host() != null) {
            f.hostCondition("h.name", q.host());
        }
        if (q.address() != null) {
            f.addressCondition(q.address(), q.prefixLength());
        }
        if (q.port() != null) {
            f.and("(c.remote_port = ? OR (c.direction <> 'outbound' AND c.local_port = ?))", q.port(), q.port());
        }
        if (q.user() != null) {
            if (q.user().chars().allMatch(Character::isDigit) && !q.user().isEmpty() && q.user().length() < 10) {
                f.and("(p.user_name = ? OR p.uid = ?)", q.user(), Integer.parseInt(q.user()));
            } else {
                f.and("p.user_name = ?", q.user());
            }
        }
        if (q.transport() != null) {
            f.and("c.transport = ?", q.transport());
        }
        if (q.direction() != null) {
            f.and("c.direction = ?", q.direction());
        }
        if (q.action() != null) {
            f.and("c.action = ?", q.action());
        }
        return f;
    }

    void and(String condition, Object... values) {
        where.append(" AND ").append(condition);
        params.addAll(List.of(values));
    }

    void hostCondition(String column, String host) {
        if (host.startsWith("*.")) {
            String apex = host.substring(2);
            and("(" + column + " = ? OR " + column + " LIKE ? ESCAPE '\\')", apex, "%." + likeEscape(apex));
        } else {
            and(column + " = ?", host);
        }
    }

    private void addressCondition(InetAddress address, int prefix) {
        byte[] lo = network(address.getAddress(), prefix, false);
        byte[] hi = network(address.getAddress(), prefix, true);
        if (address instanceof Inet4Address) {
            and("((c.family = 2 AND c.remote_addr >= ? AND c.remote_addr <= ?)"
                    + " OR (c.family = 10 AND c.remote_addr >= ? AND c.remote_addr <= ?))", lo, hi, mapped(lo), mapped(hi));
        } else {
            and("(c.family = 10 AND c.remote_addr >= ? AND c.remote_addr <= ?)", lo, hi);
        }
    }

    /** The lowest (or highest) address of the network {@code bytes/prefix}. */
    static byte[] network(byte[] bytes, int prefix, boolean highest) {
        byte[] out = bytes.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            out[bit / 8] = (byte) (highest ? out[bit / 8] | mask : out[bit / 8] & ~mask);
        }
        return out;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Binds the parameters from {@code index}; returns the next free index. */
    int bind(PreparedStatement ps, int index) throws SQLException {
        for (Object o : params) {
            switch (o) {
                case String s -> ps.setString(index++, s);
                case Integer i -> ps.setInt(index++, i);
                case Long l -> ps.setLong(index++, l);
                case byte[] b -> ps.setBytes(index++, b);
                default -> throw new IllegalStateException("unexpected parameter " + o.getClass());
            }
        }
        return index;
    }
}
