package dev.netwarden.daemon;

import dev.netwarden.daemon.control.ControlHandlers;
import dev.netwarden.daemon.owners.Namespaces;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.live.LiveFlowJson;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code flows} call costs at N live flows (default 10,000) from 50 processes: the daemon's
 * side (snapshot already taken; encode + the reply line, through {@link ControlHandlers#dispatch}) and
 * the client's (decode), for a full answer and for a session's delta when a tenth of the flows moved
 * bytes since the previous call. Not a test: {@code bench/top.sh} runs it (test class path, C1 like the launcher).
 */
public final class FlowsOpBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        List<ProcessSnapshot> procs = new ArrayList<>();
        for (int p = 0; p < 50; p++) {
            procs.add(new ProcessSnapshot(new ProcessInfo(1000 + p, 1, 1000, "user" + p, "holder-" + p,
                    "/usr/lib/some/app/bin/holder-" + p, false, List.of(), 12345 + p, null, null), null, "x", List.of()));
        }
        List<LiveFlow> flows = new ArrayList<>(n); // replaced each round: the source hands out a fresh list
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            FlowEvent.Opened o = new FlowEvent.Opened(i + 1, now - 60_000, Transport.TCP, 2,
                    new InetEndpoint(InetAddress.ofLiteral("127.0.0." + (1 + i % 4)), 1024 + i % 60000),
                    new InetEndpoint(InetAddress.ofLiteral("127.0.0." + (1 + (i / 4) % 4)), 100 + i % 50),
                    i % 2 == 0 ? Direction.OUTBOUND : Direction.INBOUND, "ESTAB",
                    Attribution.of(procs.get(i % 50)), i % 3 == 0 ? "host" + (i % 100) + ".example.com" : null,
                    InterceptionLevel.PASSIVE, 1_000_000L + i);
            flows.add(new LiveFlow(o, "ESTAB", new Counters(123_456L + i, 7_654_321L + i, 100 + i, 200 + i), now));
        }
        ControlHandlers handlers = new ControlHandlers();
        handlers.register(FlowsOp.OP, new FlowsOp(() -> List.copyOf(flows), Namespaces.current()));
        String full = "{\"op\":\"flows\"}";
        String steady = "{\"op\":\"flows\",\"session\":\"bench\"}";
        Map<Long, LiveFlow> client = new HashMap<>();
        for (String request : List.of(full, steady)) {
            long serverNanos = 0;
            long clientNanos = 0;
            int bytes = 0;
            for (int r = 0; r < rounds * 2; r++) {
                // A tenth of the flows moved bytes since the last call; all were read again.
                long at = now + 1000L * (r + 1);
                for (int i = 0; i < n; i++) {
                    LiveFlow f = flows.get(i);
                    Counters c = i % 10 == r % 10 ? new Counters(f.counters().bytesOut() + 1000, f.counters().bytesIn() + 10,
                            f.counters().packetsOut() + 1, f.counters().packetsIn() + 1) : f.counters();
                    flows.set(i, new LiveFlow(f.opened(), "ESTAB", c, at));
                }
                long t0 = System.nanoTime();
                byte[] line = handlers.dispatch(request).getBytes(StandardCharsets.UTF_8);
                long t1 = System.nanoTime();
                long t2 = System.nanoTime();
                int got = LiveFlowJson.decode(line, request == steady ? client : new HashMap<>()).flows().size();
                long t3 = System.nanoTime();
                if (got != n) {
                    throw new AssertionError("decoded " + got + " flows, not " + n);
                }
                if (r >= rounds) { // the first half warms up (C1 compiles)
                    serverNanos += t1 - t0;
                    clientNanos += t3 - t2;
                    bytes = line.length;
                }
            }
            System.out.printf("%s flows=%d bytes=%d daemon_ms=%.2f client_decode_ms=%.2f%n",
                    request == full ? "full-answer" : "session-delta(10%-changed)", n, bytes, serverNanos / 1e6 / rounds, clientNanos / 1e6 / rounds);
        }
    }
}
