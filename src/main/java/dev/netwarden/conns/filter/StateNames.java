package dev.netwarden.conns.filter;

import static dev.netwarden.socket.SocketState.CLOSE;
import static dev.netwarden.socket.SocketState.CLOSE_WAIT;
import static dev.netwarden.socket.SocketState.CLOSING;
import static dev.netwarden.socket.SocketState.ESTABLISHED;
import static dev.netwarden.socket.SocketState.FIN_WAIT1;
import static dev.netwarden.socket.SocketState.FIN_WAIT2;
import static dev.netwarden.socket.SocketState.LAST_ACK;
import static dev.netwarden.socket.SocketState.LISTEN;
import static dev.netwarden.socket.SocketState.NEW_SYN_RECV;
import static dev.netwarden.socket.SocketState.SYN_RECV;
import static dev.netwarden.socket.SocketState.SYN_SENT;
import static dev.netwarden.socket.SocketState.TIME_WAIT;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The state names and groups of {@code ss}'s STATE-FILTER, as inet_diag state masks
 * ({@link dev.netwarden.socket.SocketState#maskBit()}).
 *
 * <p>The groups are those of iproute2's {@code scan_state()}, which agree with its man page:
 * {@code connected} is every state but closed and listening, so it includes time-wait and syn-recv;
 * {@code synchronized} is connected minus syn-sent. ss's default state set ({@code SS_CONN}, used when no
 * state and neither -a nor -l is given) is narrower, also without time-wait and syn-recv; that is
 * {@link #DEFAULT_CONNECTED}, not the name {@code connected}. {@code syn-recv} includes the kernel's
 * NEW_SYN_RECV request sockets, as the kernel itself does when asked for SYN_RECV. Names are matched
 * case-insensitively; the labels ss prints ({@code estab}, {@code unconn}, {@code listen}) are accepted as
 * aliases.
 */
public final class StateNames {

    /** Every real state (UNKNOWN excluded). */
    public static final int ALL = mask(ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE,
            CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING, NEW_SYN_RECV);
    /** The state name {@code connected}: every state but closed and listening (ss's scan_state()). */
    public static final int CONNECTED = ALL & ~mask(LISTEN, CLOSE);
    /** The state name {@code synchronized}: connected without syn-sent (ss's scan_state()). */
    public static final int SYNCHRONIZED = CONNECTED & ~SYN_SENT.maskBit();
    /**
     * ss's SS_CONN, what is listed when neither -a nor -l nor a state is given: connected without time-wait
     * and syn-recv. No state name stands for it.
     */
    public static final int DEFAULT_CONNECTED = CONNECTED & ~mask(TIME_WAIT, SYN_RECV, NEW_SYN_RECV);
    public static final int BUCKET = mask(SYN_RECV, NEW_SYN_RECV, TIME_WAIT);
    public static final int BIG = ALL & ~BUCKET;
    /** What {@code -l} selects: listening TCP sockets and unconnected datagram sockets, as ss's -l. */
    public static final int LISTENING_FLAG = mask(LISTEN, CLOSE);

    private static final Map<String, Integer> NAMES = new LinkedHashMap<>();
    private static final Map<String, Integer> ALIASES = Map.of(
            "estab", ESTABLISHED.maskBit(),
            "unconn", CLOSE.maskBit(),
            "unconnected", CLOSE.maskBit(),
            "listen", LISTEN.maskBit());

    static {
        NAMES.put("established", ESTABLISHED.maskBit());
        NAMES.put("syn-sent", SYN_SENT.maskBit());
        NAMES.put("syn-recv", mask(SYN_RECV, NEW_SYN_RECV));
        NAMES.put("fin-wait-1", FIN_WAIT1.maskBit());
        NAMES.put("fin-wait-2", FIN_WAIT2.maskBit());
        NAMES.put("time-wait", TIME_WAIT.maskBit());
        NAMES.put("closed", CLOSE.maskBit());
        NAMES.put("close-wait", CLOSE_WAIT.maskBit());
        NAMES.put("last-ack", LAST_ACK.maskBit());
        NAMES.put("listening", LISTEN.maskBit());
        NAMES.put("closing", CLOSING.maskBit());
        NAMES.put("all", ALL);
        NAMES.put("connected", CONNECTED);
        NAMES.put("synchronized", SYNCHRONIZED);
        NAMES.put("bucket", BUCKET);
        NAMES.put("big", BIG);
    }

    private StateNames() {
    }

    /** The mask of a state name or group, or 0 when the name is unknown. */
    public static int lookup(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Integer m = NAMES.get(key);
        if (m == null) {
            m = ALIASES.get(key);
        }
        return m == null ? 0 : m;
    }

    /** The documented names, in ss's order, for error messages and help. */
    public static Set<String> names() {
        return NAMES.keySet();
    }

    private static int mask(dev.netwarden.socket.SocketState... states) {
        int m = 0;
        for (var s : states) {
            m |= s.maskBit();
        }
        return m;
    }
}
