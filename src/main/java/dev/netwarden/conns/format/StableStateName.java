package dev.netwarden.conns.format;

import dev.netwarden.socket.SocketState;

/**
 * Socket state names for machine-readable output (JSON, CSV): the names of ss's state filter
 * ({@code established}, {@code listening}, {@code closed} …), so a value read from the output can be fed
 * back as {@code state VALUE}. The table shows ss's short labels ({@code ESTAB}, {@code UNCONN}) instead.
 * NEW_SYN_RECV (a request socket) is reported as {@code syn-recv}, as ss does.
 */
public final class StableStateName {

    private StableStateName() {
    }

    public static String of(SocketState state) {
        return switch (state) {
            case UNKNOWN -> "unknown";
            case ESTABLISHED -> "established";
            case SYN_SENT -> "syn-sent";
            case SYN_RECV, NEW_SYN_RECV -> "syn-recv";
            case FIN_WAIT1 -> "fin-wait-1";
            case FIN_WAIT2 -> "fin-wait-2";
            case TIME_WAIT -> "time-wait";
            case CLOSE -> "closed";
            case CLOSE_WAIT -> "close-wait";
            case LAST_ACK -> "last-ack";
            case LISTEN -> "listening";
            case CLOSING -> "closing";
        };
    }
}
