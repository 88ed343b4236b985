package dev.netwarden.live;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveFlowJsonTest {
    static final ProcessSnapshot CURL = new ProcessSnapshot(new ProcessInfo(4242, 1, 1000, "alice", "cu\u001b[2Jrl",
            "/usr/bin/curl", false, List.of(), 777, null, null), null, "x", List.of());

    static LiveFlow flow(long id, Attribution a, String domain, String remote, Counters c) {
        FlowEvent.Opened o = new FlowEvent.Opened(id, 1_700_000_000_000L + id, Transport.TCP, remote.contains(":") ? 10 : 2,
                new InetEndpoint(InetAddress.ofLiteral(remote.contains(":") ? "::1" : "10.0.0.1"), 40000 + (int) id),
                new InetEndpoint(InetAddress.ofLiteral(remote), 443), Direction.OUTBOUND, "ESTAB", a, domain,
                InterceptionLevel.INTERCEPT, 9000 + id);
        return new LiveFlow(o, "ESTAB", c, 1_700_000_005_000L + id);
    }

    /** The answer line as the control server sends it: ok first, then the op's fields. */
    static byte[] answer(LiveFlowJson.Encoded e) {
        return ("{\"ok\":true,\"net_ns\":\"net:[1]\",\"delta\":" + e.delta() + ",\"seen_ms\":" + e.seenMillis()
                + ",\"processes\":" + e.processes() + ",\"flows\":" + e.flows() + ",\"counters\":" + e.counters()
                + ",\"closed\":" + e.closed() + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fullFlowsRoundTripWithTheirProcessSentOnce() throws IOException {
        List<LiveFlow> flows = List.of(
                flow(1, Attribution.of(CURL), "example.org", "192.0.2.7", new Counters(100, 2000, 3, 4)),
                flow(2, Attribution.of(CURL), null, "2001:db8::5", new Counters(5, 6, 7, 8)),
                flow(3, Attribution.unknown("socket closed before it was seen"), null, "192.0.2.8", Counters.UNKNOWN));
        LiveFlowJson.Encoded e = LiveFlowJson.encode(flows, null);
        assertThat(e.delta()).isFalse();
        assertThat(e.seenMillis()).isEqualTo(flows.get(2).atMillis());
        assertThat(e.processes()).containsOnlyOnce("\"pid\":4242");
        assertThat(e.counters()).isEqualTo("[]");
        assertThat(e.closed()).isEqualTo("[]");

        Map<Long, LiveFlow> current = new HashMap<>();
        current.put(99L, flow(99, Attribution.unknown("x"), null, "192.0.2.9", Counters.UNKNOWN));
        LiveFlowJson.Decoded d = LiveFlowJson.decode(answer(e), current);
        assertThat(d.flows()).hasSize(3);
        assertThat(current).as("a full answer replaces what the client had").containsOnlyKeys(1L, 2L, 3L);
        for (LiveFlow want : flows) {
            LiveFlow got = current.get(want.flowId());
            assertThat(got.counters()).isEqualTo(want.counters());
            assertThat(got.atMillis()).isEqualTo(want.atMillis());
            assertThat(got.state()).isEqualTo(want.state());
            FlowEvent.Opened o = got.opened();
            assertThat(o.local()).isEqualTo(want.opened().local());
            assertThat(o.remote()).isEqualTo(want.opened().remote());
            assertThat(o.family()).isEqualTo(want.opened().family());
            assertThat(o.domain()).isEqualTo(want.opened().domain());
            assertThat(o.socketCookie()).isEqualTo(want.opened().socketCookie());
            assertThat(o.startMillis()).isEqualTo(want.opened().startMillis());
            assertThat(o.level()).isEqualTo(InterceptionLevel.INTERCEPT);
            assertThat(o.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(o.transport()).isEqualTo(Transport.TCP);
        }
        ProcessInfo p = current.get(1L).opened().attribution().process().info();
        assertThat(p.comm()).as("JSON carries the name faithfully; escaping is the terminal's job").isEqualTo("cu\u001b[2Jrl");
        assertThat(p).extracting(ProcessInfo::pid, ProcessInfo::uid, ProcessInfo::user, ProcessInfo::exe, ProcessInfo::startTicks)
                .containsExactly(4242, 1000, "alice", "/usr/bin/curl", 777L);
        assertThat(current.get(2L).opened().attribution().process()).isSameAs(current.get(1L).opened().attribution().process());
        assertThat(current.get(3L).opened().attribution().unknownReason()).isEqualTo("socket closed before it was seen");
    }

    @Test
    void aDeltaSendsNewFlowsInFullChangedOnesAsCountersAndClosedOnesById() throws IOException {
        LiveFlow a = flow(1, Attribution.of(CURL), "example.org", "192.0.2.7", new Counters(100, 200, 1, 1));
        LiveFlow b = flow(2, Attribution.of(CURL), null, "192.0.2.9", new Counters(1, 2, 1, 1));
        LiveFlow idle = flow(3, Attribution.of(CURL), null, "192.0.2.11", new Counters(7, 7, 1, 1));
        Map<Long, LiveFlow> sent = new HashMap<>();
        Map<Long, LiveFlow> client = new HashMap<>();
        LiveFlowJson.encode(List.of(a, b, idle), null).flows();
        List.of(a, b, idle).forEach(f -> sent.put(f.flowId(), f));
        client.putAll(sent);

        long later = a.atMillis() + 1000;
        LiveFlow aLater = new LiveFlow(a.opened(), "FIN-WAIT-1", new Counters(5000, 6000, 9, 9), later);
        LiveFlow idleLater = new LiveFlow(idle.opened(), "ESTAB", idle.counters(), later);
        LiveFlow c = flow(7, Attribution.unknown("r"), null, "192.0.2.10", new Counters(0, 0, 0, 0));
        LiveFlowJson.Encoded e = LiveFlowJson.encode(List.of(aLater, idleLater, c), sent);
        assertThat(e.delta()).isTrue();
        assertThat(e.flows()).doesNotContain("\"id\":1,").doesNotContain("\"id\":3,").contains("\"id\":7,");
        assertThat(e.counters()).isEqualTo("[[1,\"FIN-WAIT-1\",5000,6000,9,9," + later + "]]");
        assertThat(e.closed()).isEqualTo("[2]");
        assertThat(e.processes()).isEqualTo("[]");
        assertThat(sent).as("the session now holds this answer").containsOnlyKeys(1L, 3L, 7L);

        LiveFlowJson.decode(answer(e), client);
        assertThat(client).containsOnlyKeys(1L, 3L, 7L);
        LiveFlow got = client.get(1L);
        assertThat(got.opened()).isSameAs(a.opened());
        assertThat(got.state()).isEqualTo("FIN-WAIT-1");
        assertThat(got.counters()).isEqualTo(new Counters(5000, 6000, 9, 9));
        assertThat(client.get(3L).atMillis()).as("unchanged: read again at seen_ms").isEqualTo(e.seenMillis());
        assertThat(client.get(3L).counters()).isEqualTo(idle.counters());
    }

    @Test
    void aDeltaAboutAFlowNeverSentInFullAsksForANewSession() {
        LiveFlow a = flow(5, Attribution.of(CURL), null, "192.0.2.7", new Counters(1, 1, 1, 1));
        Map<Long, LiveFlow> sent = new HashMap<>(Map.of(5L, new LiveFlow(a.opened(), "ESTAB", Counters.UNKNOWN, 0)));
        byte[] line = answer(LiveFlowJson.encode(List.of(a), sent));
        assertThatThrownBy(() -> LiveFlowJson.decode(line, new HashMap<>())).isInstanceOf(LiveFlowJson.UnknownFlowException.class);
        byte[] closing = answer(LiveFlowJson.encode(List.of(), sent));
        assertThatThrownBy(() -> LiveFlowJson.decode(closing, new HashMap<>())).isInstanceOf(LiveFlowJson.UnknownFlowException.class);
    }

    @Test
    void aRefusalOrAMalformedAnswerIsAnErrorThatSaysWhich() {
        assertThatThrownBy(() -> LiveFlowJson.decode("{\"ok\":false,\"error\":\"unknown op \\\"flows\\\"\"}".getBytes(), new HashMap<>()))
                .hasMessageContaining("refused: unknown op \"flows\"");
        assertThatThrownBy(() -> LiveFlowJson.decode("{\"ok\":true,\"flows\":[{\"id\":1}]}".getBytes(), new HashMap<>()))
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> LiveFlowJson.decode("{\"ok\":true,\"flows\":[{\"id\":1,\"transport\":\"tcp\",\"local\":\"1.2.3.4\",\"remote\":\"1.2.3.5\",\"process\":3}]}".getBytes(), new HashMap<>()))
                .hasMessageContaining("names process 3");
        assertThatThrownBy(() -> LiveFlowJson.decode("{\"ok\":true,\"flows\":[{\"id\":1,\"transport\":\"sctp\",\"local\":\"1.2.3.4\",\"remote\":\"1.2.3.5\"}]}".getBytes(), new HashMap<>()))
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> LiveFlowJson.decode("[1,2".getBytes(), new HashMap<>())).isInstanceOf(IOException.class);
    }

    @Test
    void theNamespaceIsReadFromTheHeadOfTheAnswer() {
        assertThat(DaemonFlows.netNamespaceOf("{\"ok\":true,\"net_ns\":\"net:[4026531840]\",\"flows\":[]}".getBytes()))
                .isEqualTo("net:[4026531840]");
        assertThat(DaemonFlows.netNamespaceOf("{\"ok\":false,\"error\":\"x\"}".getBytes())).isNull();
    }
}
