package dev.netwarden.flow;

import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import java.util.Objects;

/**
 * What the trackers publish about connections. A connection is opened once, updated any number of
 * times, and closed at most once (a daemon that stops leaves it open in history, with its last
 * counters). Flow ids are unique within one history.
 */
public sealed interface FlowEvent {

    long flowId();

    /**
     * A connection was seen for the first time.
     *
     * @param startMillis  epoch milliseconds when it was first seen (intercept: its first packet)
     * @param family       AF_INET (2) or AF_INET6 (10)
     * @param state        the kernel state name when seen ("ESTAB", "SYN-SENT", "LISTEN", "UNCONN" …)
     * @param domain       the name the program used for the remote address, when known; else null
     * @param socketCookie the kernel's socket cookie, 0 when unknown
     */
    record Opened(
            long flowId,
            long startMillis,
            Transport transport,
            int family,
            InetEndpoint local,
            InetEndpoint remote,
            Direction direction,
            String state,
            Attribution attribution,
            String domain,
            InterceptionLevel level,
            long socketCookie) implements FlowEvent {
        public Opened {
            Objects.requireNonNull(transport, "transport is null");
            Objects.requireNonNull(local, "local is null");
            Objects.requireNonNull(remote, "remote is null");
            Objects.requireNonNull(direction, "direction is null");
            Objects.requireNonNull(state, "state is null");
            Objects.requireNonNull(attribution, "attribution is null");
            Objects.requireNonNull(level, "level is null");
        }
    }

    /** New counters (and maybe state) of an open connection; the latest one wins. */
    record Updated(long flowId, long atMillis, String state, Counters counters) implements FlowEvent {
        public Updated {
            Objects.requireNonNull(state, "state is null");
            Objects.requireNonNull(counters, "counters is null");
        }
    }

    /** The connection ended: its socket was destroyed (or its flow expired). */
    record Closed(long flowId, long endMillis, String finalState, Counters counters) implements FlowEvent {
        public Closed {
            Objects.requireNonNull(finalState, "finalState is null");
            Objects.requireNonNull(counters, "counters is null");
        }
    }

    /**
     * The firewall decided about a connection (intercept level): a rule matched, the default action
     * applied, or a prompt was answered or timed out. A separate event rather than fields of
     * {@link Opened}: the flow is opened (attributed) before it is decided, a prompt decides seconds
     * later, and a connection held by a prompt is already in history while it waits. The latest
     * decision of a flow wins.
     *
     * @param action the verdict's action: {@code allow}, {@code deny} or {@code reject}
     * @param ruleId the rule that decided, null when none did (default action, prompt timeout, a once-only answer)
     * @param reason a one-line explanation (the rule's, or "default action", "prompt timed out" …); may
     *               contain attacker-chosen names: escape on output
     */
    record Decided(long flowId, long atMillis, String action, String ruleId, String reason) implements FlowEvent {
        public Decided {
            Objects.requireNonNull(action, "action is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    /**
     * An alert about a connection (flowId) or about a process alone (flowId 0).
     *
     * @param process the process concerned, when known
     * @param domain  the domain concerned (FIRST_DOMAIN_OF_APP), else null
     * @param detail  a one-line human explanation (it may contain attacker-chosen names: escape on output)
     */
    record Alert(long flowId, long atMillis, AlertKind kind, ProcessSnapshot process, String domain, String detail)
            implements FlowEvent {
        public Alert {
            Objects.requireNonNull(kind, "kind is null");
            Objects.requireNonNull(detail, "detail is null");
        }
    }
}
