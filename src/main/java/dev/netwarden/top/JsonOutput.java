package dev.netwarden.top;

import dev.netwarden.conns.format.AddressText;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.top.Rows.HostRow;
import dev.netwarden.top.Rows.ProcessRow;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code --json}: one JSON object per refresh, one per line (schema {@code netwarden.top/1}, docs/top.md).
 * Names are the program's own bytes, JSON-escaped: the faithful form, for scripts (the screen and
 * {@code --raw} escape them for the terminal instead). Rates are bytes per second over the window, -1
 * when unknown; {@code sent}/{@code received} are bytes since {@code top} started.
 */
final class JsonOutput {
    static final String SCHEMA = "netwarden.top/1";
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final PrintStream out;
    private final Duration interval;
    private final Duration window;

    JsonOutput(PrintStream out, Duration interval, Duration window) {
        this.out = Objects.requireNonNull(out, "out is null");
        this.interval = Objects.requireNonNull(interval, "interval is null");
        this.window = Objects.requireNonNull(window, "window is null");
    }

    void write(Tally.Sample sample, Rows rows, boolean fromDaemon, String source) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
        Map<Long, Tally.FlowStat> byId = new HashMap<>(sample.flows().size() * 2);
        for (Tally.FlowStat s : sample.flows()) {
            byId.put(s.flow().flowId(), s);
        }
        StringBuilder sb = new StringBuilder(48);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringProperty("schema", SCHEMA);
            g.writeNumberProperty("at_ms", sample.atMillis());
            g.writeStringProperty("source", fromDaemon ? "daemon" : "own-scan");
            g.writeStringProperty("source_detail", source);
            g.writeNumberProperty("interval_ms", interval.toMillis());
            g.writeNumberProperty("window_ms", window.toMillis());
            g.writeArrayPropertyStart("processes");
            for (ProcessRow p : sorted(rows.processes(), Pane.PROCESS_DEFAULT)) {
                Tally.ProcessTally t = sample.processes().get(p.key());
                ProcessInfo i = t == null ? null : t.info();
                g.writeStartObject();
                if (i == null) {
                    g.writeNullProperty("pid");
                    g.writeNullProperty("start_ticks");
                    g.writeNullProperty("name");
                    g.writeNullProperty("exe");
                    g.writeNullProperty("user");
                    g.writeNullProperty("uid");
                } else {
                    g.writeNumberProperty("pid", i.pid());
                    g.writeNumberProperty("start_ticks", i.startTicks());
                    g.writeStringProperty("name", i.displayName());
                    g.writeStringProperty("exe", i.exe());
                    g.writeStringProperty("user", i.user());
                    g.writeNumberProperty("uid", i.uid());
                }
                g.writeNumberProperty("up_bps", Math.round(p.up()));
                g.writeNumberProperty("down_bps", Math.round(p.down()));
                g.writeNumberProperty("sent", p.totalUp());
                g.writeNumberProperty("received", p.totalDown());
                g.writeNumberProperty("connections", p.connections());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("connections");
            for (ConnectionRow c : sorted(rows.connections(), Pane.CONNECTION_DEFAULT)) {
                Tally.FlowStat s = byId.get(c.id());
                FlowEvent.Opened o = s.flow().opened();
                ProcessInfo i = o.attribution().isKnown() ? o.attribution().process().info() : null;
                g.writeStartObject();
                g.writeNumberProperty("id", o.flowId());
                g.writeNumberProperty("cookie", o.socketCookie());
                g.writeStringProperty("protocol", o.transport().label());
                g.writeNumberProperty("family", o.family() == 10 ? 6 : 4);
                g.writeStringProperty("local_address", address(sb, o.local().address()));
                g.writeNumberProperty("local_port", o.local().port());
                g.writeStringProperty("remote_address", address(sb, o.remote().address()));
                g.writeNumberProperty("remote_port", o.remote().port());
                g.writeStringProperty("domain", o.domain());
                g.writeStringProperty("port", c.port());
                g.writeStringProperty("direction", o.direction().label());
                g.writeStringProperty("state", s.flow().state());
                if (i == null) {
                    g.writeNullProperty("pid");
                    g.writeNullProperty("name");
                    g.writeNullProperty("user");
                    g.writeStringProperty("unknown_reason", o.attribution().unknownReason());
                } else {
                    g.writeNumberProperty("pid", i.pid());
                    g.writeStringProperty("name", i.displayName());
                    g.writeStringProperty("user", i.user());
                }
                g.writeNumberProperty("up_bps", s.up() < 0 ? -1 : Math.round(s.up()));
                g.writeNumberProperty("down_bps", s.down() < 0 ? -1 : Math.round(s.down()));
                g.writeNumberProperty("bytes_out", s.flow().counters().bytesOut());
                g.writeNumberProperty("bytes_in", s.flow().counters().bytesIn());
                g.writeNumberProperty("sent", s.totalUp());
                g.writeNumberProperty("received", s.totalDown());
                g.writeNumberProperty("start_ms", o.startMillis());
                g.writeBooleanProperty("dns", s.dns());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("hosts");
            for (HostRow h : sorted(rows.hosts(), Pane.HOST_DEFAULT)) {
                Tally.HostTally t = sample.hosts().get(h.key());
                g.writeStartObject();
                g.writeStringProperty("host", h.key());
                g.writeNumberProperty("up_bps", Math.round(h.up()));
                g.writeNumberProperty("down_bps", Math.round(h.down()));
                g.writeNumberProperty("sent", h.totalUp());
                g.writeNumberProperty("received", h.totalDown());
                g.writeNumberProperty("connections", h.connections());
                g.writeArrayPropertyStart("apps");
                if (t != null) {
                    for (String a : t.apps()) {
                        g.writeString(a);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        buf.write('\n');
        out.write(buf.toByteArray(), 0, buf.size());
        out.flush();
    }

    private static String address(StringBuilder sb, java.net.InetAddress a) {
        sb.setLength(0);
        AddressText.append(sb, a);
        return sb.toString();
    }

    static <R> List<R> sorted(List<R> rows, java.util.Comparator<R> order) {
        return rows.stream().sorted(order).toList();
    }
}
