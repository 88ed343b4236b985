package dev.netwarden.web;

import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;
import dev.netwarden.process.ProcessInfo;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code GET /api/events}: the live stream (Server-Sent Events) of flow events, per-second rates and the
 * number of pending prompts.
 *
 * <p>The flow bus calls {@link #publish} on the packet path, so publishing only appends the event to
 * each client's bounded queue ({@link #queueCapacity}); a browser that reads too slowly loses its
 * oldest events (counted in {@link #dropped()}), never slows the daemon. Each client's own request
 * thread (a virtual thread) turns the events into JSON and writes them, a comment heartbeat every
 * {@link #HEARTBEAT_MILLIS} when idle (which also notices a gone client).
 */
public final class EventStream implements FlowEventSink, WebHandler.Stream, AutoCloseable {
    static final long HEARTBEAT_MILLIS = 15_000;
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    private static final int BATCH = 256;

    private final ConnectionJson json;
    private final int maxClients;
    private final int queueCapacity;
    private final CopyOnWriteArrayList<EventQueue> clients = new CopyOnWriteArrayList<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private volatile String lastPrompts;
    private volatile boolean closed;

    EventStream(ConnectionJson json, int maxClients, int queueCapacity) {
        this.json = Objects.requireNonNull(json, "json is null");
        if (maxClients < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("maxClients and queueCapacity must be positive");
        }
        this.maxClients = maxClients;
        this.queueCapacity = queueCapacity;
    }

    /** From the flow bus: never blocks. Counter updates are left out (the rates event carries them). */
    @Override
    public void publish(FlowEvent event) {
        if (clients.isEmpty() || event instanceof FlowEvent.Updated) {
            return;
        }
        for (EventQueue c : clients) {
            c.offer(event);
        }
    }

    /** From the sampler, once a second: totals and per-app bytes/s. */
    void rates(LiveSnapshot snap) {
        if (clients.isEmpty()) {
            return;
        }
        ObjectNode o = Json.object();
        o.put("at", snap.atMillis());
        double in = 0;
        double out = 0;
        ArrayNode apps = Json.array();
        for (Map.Entry<String, double[]> e : LiveSampler.perApp(snap.flows()).entrySet()) {
            in += e.getValue()[0];
            out += e.getValue()[1];
            if (e.getValue()[0] > 0 || e.getValue()[1] > 0) {
                apps.addObject().put("app", AppKey.name(e.getKey())).put("exe", AppKey.exe(e.getKey()))
                        .put("in", round(e.getValue()[0])).put("out", round(e.getValue()[1]));
            }
        }
        o.put("in", round(in));
        o.put("out", round(out));
        o.set("apps", apps);
        String frame = frame("rates", Json.text(o));
        for (EventQueue c : clients) {
            c.offer(frame);
        }
    }

    /** The number of pending prompts changed (or the set did). */
    void prompts(int pending) {
        String frame = frame("prompts", Json.text(Json.object().put("pending", pending)));
        lastPrompts = frame;
        for (EventQueue c : clients) {
            c.offer(frame);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    int clients() {
        return clients.size();
    }

    long dropped() {
        return dropped.sum();
    }

    long sent() {
        return sent.sum();
    }

    @Override
    public void serve(Request request, Response response, Callback callback) throws Exception {
        if (closed || clients.size() >= maxClients) {
            WebHandler.send(request, response, callback, ApiResponse.error(503,
                    "too many live streams open (" + maxClients + "); close another tab"));
            return;
        }
        EventQueue client = new EventQueue(queueCapacity, dropped);
        clients.add(client);
        try {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
            response.getHeaders().put("X-Accel-Buffering", "no");
            StringBuilder first = new StringBuilder("retry: 3000\n: netwarden live stream\n\n");
            String p = lastPrompts;
            if (p != null) {
                first.append(p);
            }
            write(response, first.toString(), false);
            if (request.getMethod().equalsIgnoreCase("HEAD")) {
                callback.succeeded();
                return;
            }
            while (!closed) {
                Object[] items = client.take(HEARTBEAT_MILLIS, BATCH);
                if (items == null) {
                    break;
                }
                StringBuilder b = new StringBuilder();
                if (items.length == 0) {
                    b.append(": heartbeat\n\n");
                }
                for (Object item : items) {
                    if (item instanceof String frame) {
                        b.append(frame);
                    } else if (item instanceof FlowEvent e) {
                        ObjectNode o = flow(e);
                        if (o != null) {
                            b.append(frame("flow", Json.text(o)));
                        }
                    }
                    sent.increment();
                }
                write(response, b.toString(), false);
            }
            response.write(true, null, callback);
        } catch (Exception e) {
            callback.failed(e); // the browser went away (or the server stops)
        } finally {
            clients.remove(client);
            client.end();
        }
    }

    private static void write(Response response, String text, boolean last) throws Exception {
        Callback.Completable done = new Callback.Completable();
        response.write(last, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
        done.get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** An SSE frame; JSON has no raw newlines, so one data line holds it. */
    static String frame(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    /** The {@code flow} event's data: {@code {"type", "id", …the fields the event knows}}. */
    ObjectNode flow(FlowEvent event) {
        return switch (event) {
            case FlowEvent.Opened o -> {
                ObjectNode n = Json.object().put("type", "opened");
                n.setAll(json.opened(o));
                yield n;
            }
            case FlowEvent.Closed c -> Json.object().put("type", "closed").put("id", c.flowId()).put("endedAt", c.endMillis())
                    .put("state", c.finalState()).put("bytesOut", c.counters().bytesOut()).put("bytesIn", c.counters().bytesIn());
            case FlowEvent.Decided d -> Json.object().put("type", "decided").put("id", d.flowId()).put("at", d.atMillis())
                    .put("action", d.action()).put("ruleId", d.ruleId()).put("reason", d.reason());
            case FlowEvent.Alert a -> {
                ObjectNode n = Json.object().put("type", "alert").put("id", a.flowId()).put("at", a.atMillis())
                        .put("kind", a.kind().label());
                ProcessInfo p = a.process() == null ? null : a.process().info();
                if (p == null) {
                    n.putNull("pid");
                } else {
                    n.put("pid", p.pid());
                }
                n.put("comm", p == null ? null : p.comm());
                n.put("exe", p == null ? null : p.exe());
                n.put("domain", a.domain());
                n.put("detail", a.detail());
                yield n;
            }
            case FlowEvent.Updated u -> null;
        };
    }

    @Override
    public void close() {
        closed = true;
        for (EventQueue c : clients) {
            c.end();
        }
    }
}
