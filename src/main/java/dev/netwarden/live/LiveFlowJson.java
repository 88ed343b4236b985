package dev.netwarden.live;

import dev.netwarden.conns.format.AddressText;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@link LiveFlow}s on the control wire (the daemon's {@code flows} op, read back by {@code top}), with
 * jackson-core's streaming generator and parser: at 10,000 flows a call, once a second, the tree model's
 * node per field would cost more than the flows themselves.
 *
 * <p>An answer has four arrays (docs/daemon.md, "flows"):
 * <ul>
 *   <li>{@code processes}: each process once ({@code ref, pid, ppid, uid, user, comm, exe, start_ticks}),
 *       so 10,000 connections of one program do not repeat its name and path 10,000 times;
 *   <li>{@code flows}: flows in full ({@code id, cookie, transport, family, local, local_port, remote,
 *       remote_port, direction, state, domain, level, start_ms, at_ms, bytes_out, bytes_in, packets_out,
 *       packets_in, process, unknown_reason}), {@code process} a ref or null;
 *   <li>{@code counters}: flows the client already has whose state or counters changed, as
 *       {@code [id, state, bytes_out, bytes_in, packets_out, packets_in, at_ms]};
 *   <li>{@code closed}: ids of flows the client has that are no longer open.
 * </ul>
 * A full answer ({@code "delta":false}) has every open flow in {@code flows}. A delta answer ({@code
 * "delta":true}) is relative to the previous answer of the same session: flows opened since come in
 * full, changed ones as counters rows, closed ones by id, and the unchanged rest not at all — those were
 * read again at {@code seen_ms} with the same counters. At 10,000 mostly idle connections a second, that
 * is what keeps the call cheap for both ends.
 */
public final class LiveFlowJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private LiveFlowJson() {
    }

    /**
     * One answer's arrays as JSON text.
     *
     * @param delta     whether it is relative to a previous answer
     * @param seenMillis the newest {@code at_ms} of the flows: when unchanged flows were read
     */
    public record Encoded(boolean delta, long seenMillis, String processes, String flows, String counters, String closed) {}

    /** One decoded answer: every flow open at the daemon. */
    public record Decoded(List<LiveFlow> flows) {}

    /** A delta answer named a flow the client does not have: start a new session. */
    public static final class UnknownFlowException extends IOException {
        UnknownFlowException(long id) {
            super("the answer updates or closes flow " + id + ", which was never sent in full");
        }
    }

    /**
     * Encodes {@code flows}: all in full when {@code previous} is null; else as a delta against it (the
     * flows of the previous answer by id), which is then updated to {@code flows}.
     */
    public static Encoded encode(List<LiveFlow> flows, Map<Long, LiveFlow> previous) {
        Objects.requireNonNull(flows, "flows is null");
        long seen = 0;
        IdentityHashMap<ProcessSnapshot, Integer> refs = new IdentityHashMap<>();
        StringWriter processes = new StringWriter(256);
        StringWriter full = new StringWriter(previous == null ? Math.max(256, flows.size() * 200) : 1024);
        StringWriter brief = new StringWriter(1024);
        StringWriter closed = new StringWriter(64);
        StringBuilder addr = new StringBuilder(48);
        Map<Long, LiveFlow> now = previous == null ? null : new HashMap<>(flows.size() * 2);
        try (JsonGenerator p = FACTORY.createGenerator(ObjectWriteContext.empty(), processes);
             JsonGenerator f = FACTORY.createGenerator(ObjectWriteContext.empty(), full);
             JsonGenerator c = FACTORY.createGenerator(ObjectWriteContext.empty(), brief);
             JsonGenerator x = FACTORY.createGenerator(ObjectWriteContext.empty(), closed)) {
            p.writeStartArray();
            f.writeStartArray();
            c.writeStartArray();
            x.writeStartArray();
            for (LiveFlow flow : flows) {
                FlowEvent.Opened o = flow.opened();
                seen = Math.max(seen, flow.atMillis());
                Counters k = flow.counters();
                if (previous != null) {
                    now.put(o.flowId(), flow);
                    LiveFlow before = previous.get(o.flowId());
                    if (before != null) {
                        if (!before.counters().equals(k) || !before.state().equals(flow.state())) {
                            c.writeStartArray();
                            c.writeNumber(o.flowId());
                            c.writeString(flow.state());
                            c.writeNumber(k.bytesOut());
                            c.writeNumber(k.bytesIn());
                            c.writeNumber(k.packetsOut());
                            c.writeNumber(k.packetsIn());
                            c.writeNumber(flow.atMillis());
                            c.writeEndArray();
                        }
                        continue;
                    }
                }
                Integer ref = null;
                ProcessSnapshot ps = o.attribution().process();
                if (ps != null) {
                    ref = refs.get(ps);
                    if (ref == null) {
                        ref = refs.size();
                        refs.put(ps, ref);
                        writeProcess(p, ref, ps.info());
                    }
                }
                writeFlow(f, flow, ref, addr);
            }
            if (previous != null) {
                for (Long id : previous.keySet()) {
                    if (!now.containsKey(id)) {
                        x.writeNumber(id);
                    }
                }
                previous.clear();
                previous.putAll(now);
            }
            p.writeEndArray();
            f.writeEndArray();
            c.writeEndArray();
            x.writeEndArray();
        }
        return new Encoded(previous != null, seen, processes.toString(), full.toString(), brief.toString(), closed.toString());
    }

    private static void writeFlow(JsonGenerator f, LiveFlow flow, Integer ref, StringBuilder addr) {
        FlowEvent.Opened o = flow.opened();
        Counters k = flow.counters();
        f.writeStartObject();
        f.writeNumberProperty("id", o.flowId());
        f.writeNumberProperty("cookie", o.socketCookie());
        f.writeStringProperty("transport", o.transport().label());
        f.writeNumberProperty("family", o.family() == 10 ? 6 : 4);
        f.writeStringProperty("local", text(addr, o.local().address()));
        f.writeNumberProperty("local_port", o.local().port());
        f.writeStringProperty("remote", text(addr, o.remote().address()));
        f.writeNumberProperty("remote_port", o.remote().port());
        f.writeStringProperty("direction", o.direction().label());
        f.writeStringProperty("state", flow.state());
        f.writeStringProperty("domain", o.domain());
        f.writeStringProperty("level", o.level().label());
        f.writeNumberProperty("start_ms", o.startMillis());
        f.writeNumberProperty("at_ms", flow.atMillis());
        f.writeNumberProperty("bytes_out", k.bytesOut());
        f.writeNumberProperty("bytes_in", k.bytesIn());
        f.writeNumberProperty("packets_out", k.packetsOut());
        f.writeNumberProperty("packets_in", k.packetsIn());
        if (ref == null) {
            f.writeNullProperty("process");
            f.writeStringProperty("unknown_reason", o.attribution().unknownReason());
        } else {
            f.writeNumberProperty("process", ref);
        }
        f.writeEndObject();
    }

    private static String text(StringBuilder sb, InetAddress a) {
        sb.setLength(0);
        AddressText.append(sb, a);
        return sb.toString();
    }

    private static void writeProcess(JsonGenerator g, int ref, ProcessInfo i) {
        g.writeStartObject();
        g.writeNumberProperty("ref", ref);
        g.writeNumberProperty("pid", i.pid());
        g.writeNumberProperty("ppid", i.ppid());
        g.writeNumberProperty("uid", i.uid());
        g.writeStringProperty("user", i.user());
        g.writeStringProperty("comm", i.comm());
        g.writeStringProperty("exe", i.exe());
        g.writeNumberProperty("start_ticks", i.startTicks());
        g.writeEndObject();
    }

    /**
     * Decodes one {@code flows} answer line.
     *
     * @param current the client's flows by id from earlier answers of its session; replaced by a full
     *                answer, updated by a delta
     * @throws UnknownFlowException a delta that updates or closes a flow not in {@code current}
     * @throws IOException          a refusal ({@code "ok":false}, with the daemon's message) or a malformed answer
     */
    public static Decoded decode(byte[] line, Map<Long, LiveFlow> current) throws IOException {
        Objects.requireNonNull(line, "line is null");
        Objects.requireNonNull(current, "current is null");
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            Boolean ok = null;
            String error = null;
            boolean delta = false;
            long seen = 0;
            Map<Integer, ProcessSnapshot> processes = new HashMap<>();
            List<FlowRow> fullRows = new ArrayList<>();
            List<long[]> counterRows = new ArrayList<>();
            List<String> counterStates = new ArrayList<>();
            List<Long> closed = new ArrayList<>();
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "ok" -> ok = t == JsonToken.VALUE_TRUE;
                    case "error" -> error = t == JsonToken.VALUE_STRING ? p.getString() : "?";
                    case "delta" -> delta = t == JsonToken.VALUE_TRUE;
                    case "seen_ms" -> seen = longValue(p, t);
                    case "processes" -> {
                        expect(t, JsonToken.START_ARRAY);
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                            expect(v, JsonToken.START_OBJECT);
                            readProcess(p, processes);
                        }
                    }
                    case "flows" -> {
                        expect(t, JsonToken.START_ARRAY);
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                            expect(v, JsonToken.START_OBJECT);
                            fullRows.add(readFlow(p));
                        }
                    }
                    case "counters" -> {
                        expect(t, JsonToken.START_ARRAY);
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                            expect(v, JsonToken.START_ARRAY);
                            long[] row = new long[6];
                            row[0] = longValue(p, p.nextToken());
                            counterStates.add(string(p, p.nextToken()));
                            for (int i = 1; i < 6; i++) {
                                row[i] = longValue(p, p.nextToken());
                            }
                            expect(p.nextToken(), JsonToken.END_ARRAY);
                            counterRows.add(row);
                        }
                    }
                    case "closed" -> {
                        expect(t, JsonToken.START_ARRAY);
                        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                            closed.add(longValue(p, v));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (ok == null) {
                throw new IOException("malformed flows answer: no \"ok\"");
            }
            if (!ok) {
                throw new IOException("refused: " + error);
            }
            if (delta) {
                // Unchanged since the last answer: read again, with the same counters, at seen_ms.
                final long at = seen;
                current.replaceAll((id, f) -> f.atMillis() >= at ? f : new LiveFlow(f.opened(), f.state(), f.counters(), at));
                for (long id : closed) {
                    if (current.remove(id) == null) {
                        throw new UnknownFlowException(id);
                    }
                }
                for (int i = 0; i < counterRows.size(); i++) {
                    long[] row = counterRows.get(i);
                    LiveFlow before = current.get(row[0]);
                    if (before == null) {
                        throw new UnknownFlowException(row[0]);
                    }
                    current.put(row[0], new LiveFlow(before.opened(), counterStates.get(i), counters(row[1], row[2], row[3], row[4]), row[5]));
                }
            } else if (!counterRows.isEmpty() || !closed.isEmpty()) {
                throw new IOException("malformed flows answer: counters or closed flows in a full answer");
            } else {
                current.clear();
            }
            // Processes may come after the flows that name them: attribution is resolved at the end.
            for (FlowRow r : fullRows) {
                Attribution a;
                if (r.processRef >= 0) {
                    ProcessSnapshot ps = processes.get(r.processRef);
                    if (ps == null) {
                        throw new IOException("malformed flows answer: flow " + r.id + " names process " + r.processRef
                                + ", which is not in \"processes\"");
                    }
                    a = Attribution.of(ps);
                } else {
                    a = Attribution.unknown(r.unknownReason == null ? "unknown" : r.unknownReason);
                }
                FlowEvent.Opened o = new FlowEvent.Opened(r.id, r.startMillis, r.transport, r.family, r.local, r.remote,
                        r.direction, r.state, a, r.domain, r.level, r.cookie);
                current.put(r.id, new LiveFlow(o, r.state, counters(r.numbers[0], r.numbers[1], r.numbers[2], r.numbers[3]), r.atMillis));
            }
            return new Decoded(new ArrayList<>(current.values()));
        } catch (JacksonException e) {
            throw new IOException("malformed flows answer: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed flows answer: " + e.getMessage(), e);
        }
    }

    private static Counters counters(long out, long in, long pout, long pin) {
        if (out == -1 && in == -1 && pout == -1 && pin == -1) {
            return Counters.UNKNOWN;
        }
        return new Counters(out, in, pout, pin);
    }

    /** A full flow as read, before its process ref is resolved. */
    private static final class FlowRow {
        long id, cookie, startMillis, atMillis;
        long[] numbers = {-1, -1, -1, -1};
        int family = 2;
        int processRef = -1;
        Transport transport;
        InetEndpoint local, remote;
        Direction direction = Direction.UNKNOWN;
        String state = "?", domain, unknownReason;
        InterceptionLevel level = InterceptionLevel.PASSIVE;
    }

    private static FlowRow readFlow(JsonParser p) throws IOException {
        FlowRow r = new FlowRow();
        String local = null, remote = null;
        int localPort = 0, remotePort = 0;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> r.id = longValue(p, t);
                case "cookie" -> r.cookie = longValue(p, t);
                case "transport" -> r.transport = Transport.valueOf(string(p, t).toUpperCase(Locale.ROOT));
                case "family" -> r.family = longValue(p, t) == 6 ? 10 : 2;
                case "local" -> local = string(p, t);
                case "local_port" -> localPort = (int) longValue(p, t);
                case "remote" -> remote = string(p, t);
                case "remote_port" -> remotePort = (int) longValue(p, t);
                case "direction" -> r.direction = Direction.valueOf(string(p, t).toUpperCase(Locale.ROOT));
                case "state" -> r.state = string(p, t);
                case "domain" -> r.domain = nullableString(p, t);
                case "level" -> r.level = InterceptionLevel.valueOf(string(p, t).toUpperCase(Locale.ROOT));
                case "start_ms" -> r.startMillis = longValue(p, t);
                case "at_ms" -> r.atMillis = longValue(p, t);
                case "bytes_out" -> r.numbers[0] = longValue(p, t);
                case "bytes_in" -> r.numbers[1] = longValue(p, t);
                case "packets_out" -> r.numbers[2] = longValue(p, t);
                case "packets_in" -> r.numbers[3] = longValue(p, t);
                case "process" -> r.processRef = t == JsonToken.VALUE_NULL ? -1 : (int) longValue(p, t);
                case "unknown_reason" -> r.unknownReason = nullableString(p, t);
                default -> p.skipChildren();
            }
        }
        if (r.transport == null || local == null || remote == null) {
            throw new IOException("malformed flows answer: flow " + r.id + " lacks transport or addresses");
        }
        r.local = new InetEndpoint(InetAddress.ofLiteral(local), localPort);
        r.remote = new InetEndpoint(InetAddress.ofLiteral(remote), remotePort);
        return r;
    }

    private static void readProcess(JsonParser p, Map<Integer, ProcessSnapshot> into) throws IOException {
        int ref = -1, pid = -1, ppid = -1, uid = -1;
        long startTicks = -1;
        String user = null, comm = null, exe = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "ref" -> ref = (int) longValue(p, t);
                case "pid" -> pid = (int) longValue(p, t);
                case "ppid" -> ppid = (int) longValue(p, t);
                case "uid" -> uid = (int) longValue(p, t);
                case "start_ticks" -> startTicks = longValue(p, t);
                case "user" -> user = nullableString(p, t);
                case "comm" -> comm = nullableString(p, t);
                case "exe" -> exe = nullableString(p, t);
                default -> p.skipChildren();
            }
        }
        if (ref < 0 || pid <= 0) {
            throw new IOException("malformed flows answer: a process without ref or pid");
        }
        ProcessInfo info = new ProcessInfo(pid, ppid, uid, user, comm, exe, false, List.of(), startTicks, null, null);
        into.put(ref, new ProcessSnapshot(info, null, "not sent by the flows op", List.of()));
    }

    private static long longValue(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.VALUE_NUMBER_INT);
        return p.getLongValue();
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.VALUE_STRING);
        return p.getString();
    }

    private static String nullableString(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : string(p, t);
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("malformed flows answer: expected " + wanted + ", found " + actual);
        }
    }
}
