package dev.netwarden.history;

import dev.netwarden.flow.AlertKind;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Builders for the events the tests publish. */
final class Events {
    private Events() {
    }

    static ProcessSnapshot process(int pid, long startTicks, String user, int uid, String comm, String exe, String sha256) {
        return new ProcessSnapshot(new ProcessInfo(pid, 1, uid, user, comm, exe, false, List.of(exe, "--flag", "a b"),
                startTicks, "/user.slice", null), sha256, null, List.of(new ProcessSnapshot.ParentLink(1, "systemd", "/usr/lib/systemd/systemd")));
    }

    static FlowEvent.Opened opened(long id, long startMs, Transport t, String remote, int remotePort, Direction d,
                                   Attribution a, String domain) {
        InetAddress r = ip(remote);
        InetAddress l = ip(r.getAddress().length == 4 ? "10.0.0.2" : "fd00::2");
        return new FlowEvent.Opened(id, startMs, t, r.getAddress().length == 4 ? 2 : 10, new InetEndpoint(l, 40000 + (int) (id % 20000)),
                new InetEndpoint(r, remotePort), d, "ESTAB", a, domain, InterceptionLevel.PASSIVE, 1000 + id);
    }

    static FlowEvent.Updated updated(long id, long at, long out, long in) {
        return new FlowEvent.Updated(id, at, "ESTAB", new Counters(out, in, out / 100, in / 100));
    }

    static FlowEvent.Closed closed(long id, long at, long out, long in) {
        return new FlowEvent.Closed(id, at, "CLOSED", out < 0 ? Counters.UNKNOWN : new Counters(out, in, out / 100, in / 100));
    }

    static FlowEvent.Alert alert(long flowId, long at, AlertKind kind, ProcessSnapshot p, String domain, String detail) {
        return new FlowEvent.Alert(flowId, at, kind, p, domain, detail);
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
