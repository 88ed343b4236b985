package dev.netwarden.conns.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

/**
 * Which socket states to list, combining the CLI flags with the filter's {@code state}/{@code exclude}
 * clauses the way ss does: explicit state clauses win over the flags; otherwise {@code -a} means all
 * states, {@code -l} listening ones (LISTEN and CLOSE), and neither means ss's default connected set
 * ({@link StateNames#DEFAULT_CONNECTED}, narrower than the state name {@code connected}).
 *
 * <p>Datagram sockets (UDP, RAW, UNIX datagram) never LISTEN: "listening" for them means bound but
 * unconnected, which the kernel reports as CLOSE (printed UNCONN). ss applies that only to {@code -l};
 * we apply it to the {@code listening} state name too, so {@code state listening} finds the UDP servers a
 * user expects. {@link #kernelMask(Netid)} does this translation; push its result to the kernel
 * ({@code idiag_states} / {@code udiag_states}) per socket kind.
 *
 * @param mask the selected states as {@link SocketState#maskBit()} bits, before the datagram rule
 */
public record StateSelection(int mask) {

    /** The flags alone: {@code all} wins over {@code listening}; neither gives ss's default connected states. */
    public static StateSelection fromFlags(boolean all, boolean listening) {
        if (all) {
            return new StateSelection(StateNames.ALL);
        }
        return new StateSelection(listening ? StateNames.LISTENING_FLAG : StateNames.DEFAULT_CONNECTED);
    }

    /** The flags combined with the filter's state clauses ({@link ParsedFilter#stateMask()}). */
    public static StateSelection resolve(boolean all, boolean listening, OptionalInt filterStates) {
        return filterStates.isPresent() ? new StateSelection(filterStates.getAsInt()) : fromFlags(all, listening);
    }

    /** The state mask to ask the kernel for sockets of kind {@code netid}. */
    public int kernelMask(Netid netid) {
        int m = mask;
        boolean datagram = netid == Netid.UDP || netid == Netid.RAW || netid == Netid.UNIX_DGRAM;
        if (datagram && (m & SocketState.LISTEN.maskBit()) != 0) {
            m |= SocketState.CLOSE.maskBit();
        }
        if ((m & SocketState.SYN_RECV.maskBit()) != 0) {
            m |= SocketState.NEW_SYN_RECV.maskBit();
        }
        return m;
    }

    /** Whether {@code socket}'s state is selected: for sources that cannot filter by state themselves. */
    public boolean matches(SocketEntry socket) {
        return (kernelMask(socket.netid()) & socket.state().maskBit()) != 0;
    }

    /** The selected states, for display and tests. */
    public List<SocketState> states() {
        List<SocketState> out = new ArrayList<>();
        for (SocketState s : SocketState.values()) {
            if ((mask & s.maskBit()) != 0) {
                out.add(s);
            }
        }
        return out;
    }
}
