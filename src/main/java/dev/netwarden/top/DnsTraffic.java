package dev.netwarden.top;

import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.Transport;

/**
 * Which connections {@code d} hides: DNS over UDP or TCP, port 53 at either end (a resolver asked, or a
 * resolver answering in this namespace). Lookups are many, small and short; hidden, the panes show the
 * traffic they were made for.
 */
final class DnsTraffic {
    static final int PORT = 53;

    private DnsTraffic() {
    }

    static boolean is(FlowEvent.Opened o) {
        return (o.transport() == Transport.UDP || o.transport() == Transport.TCP)
                && (o.remote().port() == PORT || o.local().port() == PORT);
    }
}
