package dev.netwarden.top;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;

import java.net.InetAddress;
import java.util.List;

/** Flows and processes for the view's tests. */
final class TopFixtures {
    static final long T = 1_700_000_000_000L;

    private TopFixtures() {
    }

    static ProcessSnapshot process(int pid, String comm, String user) {
        return new ProcessSnapshot(new ProcessInfo(pid, 1, 1000, user, comm, "/usr/bin/" + comm, false, List.of(), 100 + pid,
                null, null), null, "x", List.of());
    }

    static FlowEvent.Opened opened(long id, ProcessSnapshot p, Transport t, String remote, int remotePort, String domain) {
        return new FlowEvent.Opened(id, T - 60_000, t, 2, new InetEndpoint(InetAddress.ofLiteral("10.0.0.1"), 40000 + (int) id),
                new InetEndpoint(InetAddress.ofLiteral(remote), remotePort), Direction.OUTBOUND, "ESTAB",
                p == null ? Attribution.unknown("test") : Attribution.of(p), domain, InterceptionLevel.PASSIVE, 500 + id);
    }

    static LiveFlow at(FlowEvent.Opened o, long at, long out, long in) {
        return new LiveFlow(o, "ESTAB", new Counters(out, in, 1, 1), at);
    }
}
