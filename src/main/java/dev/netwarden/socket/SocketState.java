package dev.netwarden.socket;

/**
 * Socket states with the kernel's numbering ({@code include/net/tcp_states.h}). UDP and RAW sockets
 * reuse them: a connected UDP socket is ESTABLISHED, an unconnected one CLOSE (shown as UNCONN).
 */
public enum SocketState {
    UNKNOWN(0, "UNKNOWN"),
    ESTABLISHED(1, "ESTAB"),
    SYN_SENT(2, "SYN-SENT"),
    SYN_RECV(3, "SYN-RECV"),
    FIN_WAIT1(4, "FIN-WAIT-1"),
    FIN_WAIT2(5, "FIN-WAIT-2"),
    TIME_WAIT(6, "TIME-WAIT"),
    CLOSE(7, "UNCONN"),
    CLOSE_WAIT(8, "CLOSE-WAIT"),
    LAST_ACK(9, "LAST-ACK"),
    LISTEN(10, "LISTEN"),
    CLOSING(11, "CLOSING"),
    NEW_SYN_RECV(12, "SYN-RECV");

    private static final SocketState[] BY_CODE = new SocketState[13];

    static {
        for (SocketState s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;
    private final String label;

    SocketState(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The kernel's number for this state. */
    public int code() {
        return code;
    }

    /** The name {@code ss} prints in its State column. */
    public String label() {
        return label;
    }

    /** The bit of this state in an inet_diag state mask ({@code idiag_states}). */
    public int maskBit() {
        return 1 << code;
    }

    /** Maps a kernel state number; numbers the kernel may add later map to UNKNOWN instead of failing. */
    public static SocketState fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            return UNKNOWN;
        }
        return BY_CODE[code];
    }
}
