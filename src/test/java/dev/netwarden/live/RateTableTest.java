package dev.netwarden.live;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RateTableTest {
    private static final long T = 1_700_000_000_000L;

    static FlowEvent.Opened opened(long id, long startMillis) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        return new FlowEvent.Opened(id, startMillis, Transport.TCP, 2, new InetEndpoint(lo, 40000),
                new InetEndpoint(lo, 443), Direction.OUTBOUND, "ESTAB", Attribution.unknown("test"), null,
                InterceptionLevel.PASSIVE, 0);
    }

    static LiveFlow flow(FlowEvent.Opened o, long at, long out, long in) {
        return new LiveFlow(o, "ESTAB", new Counters(out, in, 1, 1), at);
    }

    @Test
    void aFlowSeenAtItsStartHasNoRateUntilItsCountersMove() {
        RateTable t = new RateTable(Duration.ofSeconds(5));
        FlowEvent.Opened o = opened(1, T);
        assertThat(t.update(List.of(flow(o, T, 0, 0))).getFirst().outPerSecond()).isZero();
        RateTable.FlowRate r = t.update(List.of(flow(o, T + 1000, 2000, 500))).getFirst();
        assertThat(r.outPerSecond()).isCloseTo(2000, within(0.01));
        assertThat(r.inPerSecond()).isCloseTo(500, within(0.01));
    }

    @Test
    void aFlowFirstSeenInsideTheWindowCountsFromItsStart() {
        RateTable t = new RateTable(Duration.ofSeconds(5));
        RateTable.FlowRate r = t.update(List.of(flow(opened(1, T), T + 500, 1000, 0))).getFirst();
        assertThat(r.outPerSecond()).isCloseTo(2000, within(0.01));
    }

    @Test
    void anOldFlowFirstSeenNowHasNoRateYet() {
        RateTable t = new RateTable(Duration.ofSeconds(5));
        RateTable.FlowRate r = t.update(List.of(flow(opened(1, T - 60_000), T, 1_000_000, 0))).getFirst();
        assertThat(r.outPerSecond()).isZero();
    }

    @Test
    void theRateIsAveragedOverTheWindowOnly() {
        RateTable t = new RateTable(Duration.ofSeconds(2));
        FlowEvent.Opened o = opened(1, T - 60_000);
        t.update(List.of(flow(o, T, 0, 0)));
        t.update(List.of(flow(o, T + 1000, 10_000, 0)));   // a burst of 10 kB in the first second
        t.update(List.of(flow(o, T + 2000, 10_000, 0)));
        t.update(List.of(flow(o, T + 3000, 10_000, 0)));
        RateTable.FlowRate r = t.update(List.of(flow(o, T + 4000, 11_000, 0))).getFirst();
        // The window is [T+2000, T+4000]: 1,000 bytes over 2 s; the burst fell out of it.
        assertThat(r.outPerSecond()).isCloseTo(500, within(0.01));
    }

    @Test
    void unknownCountersGiveAnUnknownRate() {
        RateTable t = new RateTable(Duration.ofSeconds(2));
        FlowEvent.Opened o = opened(1, T - 60_000);
        LiveFlow unknown = new LiveFlow(o, "UNCONN", Counters.UNKNOWN, T);
        assertThat(t.update(List.of(unknown)).getFirst().outPerSecond()).isEqualTo(-1);
    }

    @Test
    void aFlowThatLeftTheSnapshotIsForgottenAndStartsOverIfItReturns() {
        RateTable t = new RateTable(Duration.ofSeconds(10));
        FlowEvent.Opened o = opened(1, T - 60_000);
        t.update(List.of(flow(o, T, 0, 0)));
        t.update(List.of());
        RateTable.FlowRate r = t.update(List.of(flow(o, T + 1000, 5000, 0))).getFirst();
        assertThat(r.outPerSecond()).isZero();
    }

    @Test
    void aCounterThatWentBackwardsIsNoNegativeRate() {
        RateTable t = new RateTable(Duration.ofSeconds(10));
        FlowEvent.Opened o = opened(1, T - 60_000);
        t.update(List.of(flow(o, T, 5000, 0)));
        assertThat(t.update(List.of(flow(o, T + 1000, 100, 0))).getFirst().outPerSecond()).isZero();
    }

    @Test
    void aZeroWindowIsRefused() {
        assertThatThrownBy(() -> new RateTable(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
