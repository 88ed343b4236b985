package dev.netwarden.conns.filter;

import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.Predicate;

import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.SocketEntry;

/**
 * The expression part of an {@code ss} filter as a small tree. Each node is a {@link Predicate} over
 * {@link SocketEntry}, so the result is usable as is, and records, so tests compare parsed trees.
 *
 * <p>Conditions about IP endpoints are false for UNIX sockets and conditions about UNIX names are false
 * for IP sockets, whatever the operator: {@code dport != :443} means "has a destination port and it is
 * not 443". Use {@code not dport = :443} to include sockets that have no port at all. (ss builds
 * {@code !=}, {@code <} and {@code >} as negations, which makes {@code dport != :443} true for UNIX
 * sockets; we consider that a trap.)
 */
public sealed interface FilterExpression extends Predicate<SocketEntry> {

    /** Which end of the socket a condition looks at: {@code src}/{@code sport} or {@code dst}/{@code dport}. */
    enum Side { SOURCE, DESTINATION }

    /** Comparison operators for ports; addresses, names and devices use only EQ and NE. */
    enum Op {
        EQ, NE, LT, GT, LE, GE;

        boolean test(int value, int operand) {
            return switch (this) {
                case EQ -> value == operand;
                case NE -> value != operand;
                case LT -> value < operand;
                case GT -> value > operand;
                case LE -> value <= operand;
                case GE -> value >= operand;
            };
        }
    }

    /** No expression: everything matches. */
    record MatchAll() implements FilterExpression {
        @Override
        public boolean test(SocketEntry s) {
            return true;
        }
    }

    /** All terms hold. N-ary rather than binary so that a long chain is evaluated without deep recursion. */
    record And(List<FilterExpression> terms) implements FilterExpression {
        public And {
            terms = List.copyOf(terms);
        }

        public And(FilterExpression... terms) {
            this(List.of(terms));
        }

        @Override
        public boolean test(SocketEntry s) {
            for (FilterExpression t : terms) {
                if (!t.test(s)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Some term holds. */
    record Or(List<FilterExpression> terms) implements FilterExpression {
        public Or {
            terms = List.copyOf(terms);
        }

        public Or(FilterExpression... terms) {
            this(List.of(terms));
        }

        @Override
        public boolean test(SocketEntry s) {
            for (FilterExpression t : terms) {
                if (t.test(s)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(FilterExpression inner) implements FilterExpression {
        public Not {
            Objects.requireNonNull(inner, "inner is null");
        }

        @Override
        public boolean test(SocketEntry s) {
            return !inner.test(s);
        }
    }

    /** {@code sport OP :port} / {@code dport OP :port}. */
    record PortCompare(Side side, Op op, int port) implements FilterExpression {
        @Override
        public boolean test(SocketEntry s) {
            InetEndpoint e = endpoint(s, side);
            return e != null && op.test(e.port(), port);
        }
    }

    /**
     * {@code src HOST} / {@code dst HOST}: the socket family the condition is about ({@code AF_INET},
     * {@code AF_INET6}, or 0 for both), an address prefix (null for any address) and a port (-1 for any
     * port); {@code negated} for the {@code !=} form.
     *
     * <p>The family comes from an {@code inet:}/{@code inet6:} qualifier or from an IPv6 prefix; a socket of
     * another family fails the condition whatever the operator, as a UNIX socket does, so
     * {@code src != [::1]} means "an IPv6 socket whose source is not ::1". The prefix is compared in the
     * socket's family ({@link AddressPrefix#contains(java.net.InetAddress, int)}).
     */
    record HostMatch(Side side, int family, AddressPrefix prefix, int port, boolean negated) implements FilterExpression {
        public HostMatch {
            if (family != 0 && family != SocketEntry.AF_INET && family != SocketEntry.AF_INET6) {
                throw new IllegalArgumentException("family must be 0, AF_INET or AF_INET6: " + family);
            }
        }

        @Override
        public boolean test(SocketEntry s) {
            InetEndpoint e = endpoint(s, side);
            if (e == null || family != 0 && s.family() != family) {
                return false;
            }
            boolean hit = (prefix == null || prefix.contains(e.address(), s.family()))
                    && (port < 0 || e.port() == port);
            return hit != negated;
        }
    }

    /**
     * {@code src /path*} / {@code dst /path*} on UNIX sockets. The local name is the socket's own path; the
     * destination's is the peer's, looked up by the peer inode through {@code peerPaths}. An unnamed socket
     * has the empty name.
     */
    record UnixNameMatch(Side side, UnixGlob glob, boolean negated, LongFunction<String> peerPaths)
            implements FilterExpression {
        @Override
        public boolean test(SocketEntry s) {
            if (!s.netid().isUnix()) {
                return false;
            }
            String name = side == Side.SOURCE ? s.unixPath()
                    : s.unixPeerInode() == 0 ? null : peerPaths.apply(s.unixPeerInode());
            return glob.matches(name == null ? "" : name) != negated;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UnixNameMatch u && u.side == side && u.glob.equals(glob) && u.negated == negated;
        }

        @Override
        public int hashCode() {
            return Objects.hash(side, glob, negated);
        }
    }

    /** {@code dev = INDEX}: the interface the socket is bound to. */
    record DeviceMatch(int interfaceIndex, boolean negated) implements FilterExpression {
        @Override
        public boolean test(SocketEntry s) {
            return (s.interfaceIndex() == interfaceIndex) != negated;
        }
    }

    private static InetEndpoint endpoint(SocketEntry s, Side side) {
        return side == Side.SOURCE ? s.local() : s.remote();
    }
}
