package dev.netwarden.web;

import dev.netwarden.conns.Services;
import dev.netwarden.conns.format.AddressText;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.RateTable.FlowRate;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Objects;

/**
 * The API's connection object ("Conn" in openapi.yaml) from a live flow ({@link ConnectionFilter} searches it).
 * Unknown numbers are -1 (bytes, rates) or null (process fields); strings are the exact text the
 * kernel or the program gave (the pages insert them as text).
 */
final class ConnectionJson {
    private final Services services;

    ConnectionJson(Services services) {
        this.services = Objects.requireNonNull(services, "services is null");
    }

    /** /etc/services when readable, else the built-in table. */
    static ConnectionJson withSystemServices() {
        try {
            return new ConnectionJson(Services.load(Services.ETC_SERVICES));
        } catch (IOException | RuntimeException e) {
            return new ConnectionJson(Services.builtin());
        }
    }

    ObjectNode of(FlowRate rate) {
        LiveFlow f = rate.flow();
        ObjectNode o = opened(f.opened());
        o.put("state", f.state());
        o.put("bytesOut", f.counters().bytesOut());
        o.put("bytesIn", f.counters().bytesIn());
        o.put("rateOut", round(rate.outPerSecond()));
        o.put("rateIn", round(rate.inPerSecond()));
        return o;
    }

    /** The fields an {@code Opened} event knows (state as first seen; no counters yet). */
    ObjectNode opened(FlowEvent.Opened e) {
        ObjectNode o = Json.object();
        o.put("id", e.flowId());
        o.put("transport", e.transport().label());
        o.put("family", e.family() == 10 ? "ipv6" : "ipv4");
        o.put("direction", e.direction().label());
        o.put("state", e.state());
        endpoint(o.putObject("local"), e.local());
        endpoint(o.putObject("remote"), e.remote());
        o.put("domain", e.domain());
        o.put("service", service(e));
        ProcessSnapshot p = e.attribution().process();
        ProcessInfo info = p == null ? null : p.info();
        if (info == null) {
            o.putNull("pid");
            o.putNull("comm");
            o.putNull("exe");
            o.putNull("user");
            o.putNull("uid");
            o.putNull("cmdline");
            o.putNull("sha256");
        } else {
            o.put("pid", info.pid());
            o.put("comm", info.comm());
            o.put("exe", info.exe());
            o.put("user", info.user());
            if (info.uid() < 0) {
                o.putNull("uid");
            } else {
                o.put("uid", info.uid());
            }
            o.put("cmdline", info.cmdline().isEmpty() ? null : String.join(" ", info.cmdline()));
            o.put("sha256", p.sha256());
        }
        o.put("unknownReason", e.attribution().unknownReason());
        o.put("startedAt", e.startMillis());
        o.put("level", e.level().label());
        return o;
    }

    private String service(FlowEvent.Opened e) {
        int port = e.direction() == Direction.OUTBOUND || e.direction() == Direction.UNKNOWN ? e.remote().port() : e.local().port();
        return services.name(port, e.transport().label());
    }

    private static void endpoint(ObjectNode o, InetEndpoint ep) {
        o.put("address", AddressText.toText(ep.address()));
        o.put("port", ep.port());
    }

    private static double round(double rate) {
        return rate < 0 ? -1 : Math.round(rate * 10) / 10.0;
    }
}
