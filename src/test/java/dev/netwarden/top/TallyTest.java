package dev.netwarden.top;

import dev.netwarden.conns.Services;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.netwarden.top.TopFixtures.T;
import static dev.netwarden.top.TopFixtures.at;
import static dev.netwarden.top.TopFixtures.opened;
import static dev.netwarden.top.TopFixtures.process;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TallyTest {
    final ProcessSnapshot curl = process(42, "curl", "alice");
    final Services services = Services.parse("https 443/tcp\ndomain 53/udp\n");

    @Test
    void totalsCountFromTheFirstLookForOldConnectionsAndFromZeroForNewOnes() {
        Tally tally = new Tally(Duration.ofSeconds(5));
        FlowEvent.Opened old = opened(1, curl, Transport.TCP, "192.0.2.1", 443, "example.org");
        tally.update(List.of(at(old, T, 1_000_000, 5_000_000)), T);
        FlowEvent.Opened fresh = opened(2, curl, Transport.TCP, "192.0.2.2", 443, null);
        Tally.Sample s = tally.update(List.of(at(old, T + 1000, 1_000_300, 5_000_000), at(fresh, T + 1000, 700, 90)), T + 1000);

        assertThat(s.flows()).extracting(Tally.FlowStat::totalUp).containsExactly(300L, 700L);
        assertThat(s.flows()).extracting(Tally.FlowStat::totalDown).containsExactly(0L, 90L);
        Tally.Totals p = s.processes().get(new ProcessKey(42, 142)).totals();
        assertThat(p.up()).isEqualTo(1000);
        assertThat(p.down()).isEqualTo(90);
        assertThat(s.hosts()).containsOnlyKeys("example.org", "192.0.2.2");
        assertThat(s.hosts().get("example.org").apps()).containsExactly("curl");
        assertThat(s.flows().getFirst().up()).isCloseTo(300, within(0.01));
    }

    @Test
    void aProcessKeepsItsTotalAfterItsConnectionsCloseUntilItIsLongGone() {
        Tally tally = new Tally(Duration.ofSeconds(5));
        FlowEvent.Opened o = opened(1, curl, Transport.TCP, "192.0.2.1", 443, null);
        tally.update(List.of(), T);
        tally.update(List.of(at(o, T + 1000, 4000, 0)), T + 1000);
        Tally.Sample gone = tally.update(List.of(), T + 2000);
        Rows rows = Rows.of(gone, true, services);
        assertThat(rows.processes()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("curl");
            assertThat(r.totalUp()).isEqualTo(4000);
            assertThat(r.connections()).isZero();
            assertThat(r.up()).isZero();
        });
        Tally.Sample later = tally.update(List.of(), T + 2000 + Tally.KEEP_GONE.toMillis() + 1);
        assertThat(later.processes()).isEmpty();
        assertThat(later.hosts()).isEmpty();
    }

    @Test
    void hidingDnsLeavesItsConnectionsAndBytesOutOfEveryPane() {
        Tally tally = new Tally(Duration.ofSeconds(5));
        ProcessSnapshot resolver = process(7, "resolvectl", "root");
        FlowEvent.Opened dns = opened(1, resolver, Transport.UDP, "192.0.2.53", 53, null);
        FlowEvent.Opened web = opened(2, curl, Transport.TCP, "192.0.2.1", 443, "example.org");
        FlowEvent.Opened curlDns = opened(3, curl, Transport.TCP, "192.0.2.53", 53, null);
        tally.update(List.of(), T);
        Tally.Sample s = tally.update(List.of(at(dns, T + 1000, 60, 200), at(web, T + 1000, 1000, 2000), at(curlDns, T + 1000, 30, 90)), T + 1000);

        Rows all = Rows.of(s, true, services);
        assertThat(all.connections()).hasSize(3);
        assertThat(all.processes()).extracting(Rows.ProcessRow::name).containsExactlyInAnyOrder("resolvectl", "curl");
        assertThat(all.connections()).filteredOn(c -> c.id() == 2).singleElement().satisfies(c -> assertThat(c.port()).isEqualTo("443/https"));

        Rows noDns = Rows.of(s, false, services);
        assertThat(noDns.connections()).extracting(ConnectionRow::id).containsExactly(2L);
        assertThat(noDns.processes()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("curl");
            assertThat(p.totalUp()).as("curl's own DNS bytes left out").isEqualTo(1000);
            assertThat(p.connections()).isEqualTo(1);
        });
        assertThat(noDns.hosts()).extracting(Rows.HostRow::host).containsExactly("example.org");
    }

    @Test
    void unknownOwnersShareOneRow() {
        Tally tally = new Tally(Duration.ofSeconds(5));
        tally.update(List.of(), T);
        Tally.Sample s = tally.update(List.of(at(opened(1, null, Transport.TCP, "192.0.2.1", 80, null), T + 1000, 10, 10),
                at(opened(2, null, Transport.TCP, "192.0.2.2", 80, null), T + 1000, 10, 10)), T + 1000);
        assertThat(Rows.of(s, true, services).processes()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo(Names.UNKNOWN);
            assertThat(p.pid()).isEqualTo(-1);
            assertThat(p.connections()).isEqualTo(2);
        });
    }
}
