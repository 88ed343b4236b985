package dev.netwarden.conns.filter;

import java.util.Objects;
import java.util.OptionalInt;

import dev.netwarden.socket.SocketEntry;

/**
 * A parsed {@code ss} filter: the state clauses (empty when the user gave none, so the CLI flags decide;
 * see {@link StateSelection#resolve}) and the expression ({@link FilterExpression.MatchAll} when none).
 */
public record ParsedFilter(OptionalInt stateMask, FilterExpression expression) {

    public ParsedFilter {
        Objects.requireNonNull(stateMask, "stateMask is null");
        Objects.requireNonNull(expression, "expression is null");
    }

    /** Whether the expression part accepts {@code socket} (states are checked by {@link StateSelection}). */
    public boolean matches(SocketEntry socket) {
        return expression.test(socket);
    }
}
