package dev.netwarden.monitor;

import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.DomainLookup;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.proc.SocketHolderIndex;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracker's rules on sightings of sockets without an inode (so owner resolution is decided
 * without /proc: "no inode"); the kernel-facing paths are covered by PassiveMonitorLiveTest.
 */
class FlowTrackerTest {
    @TempDir
    Path emptyProc;

    private final CollectingSink sink = new CollectingSink();
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicLong ids = new AtomicLong();

    private FlowTracker tracker(SocketLookup lookup) {
        SocketOwners owners = new SocketOwners(new SocketHolderIndex(emptyProc, null, 1), pid -> Optional.empty(), 0, System::nanoTime);
        DomainLookup names = a -> a.getHostAddress().equals("192.0.2.7") ? "example.test" : null;
        return new FlowTracker(sink, owners, names, ids::incrementAndGet, lookup, clock::get, EphemeralPorts.LINUX_DEFAULT,
                MonitorConfig.defaults().withUpdateInterval(Duration.ofSeconds(10)));
    }

    /** A tracker whose connect records name pid 4321 (curl) for cookie 77, and whose owners know only that pid. */
    private FlowTracker trackerWithConnectRecords(SocketLookup lookup, AtomicInteger snapshotReads) {
        ProcessInfo curl = new ProcessInfo(4321, 1, 0, "root", "curl", "/usr/bin/curl", false, List.of("/usr/bin/curl"), 5000, "", null);
        SocketOwners owners = new SocketOwners(new SocketHolderIndex(emptyProc, null, 1), pid -> {
            snapshotReads.incrementAndGet();
            return pid == 4321 ? Optional.of(new ProcessSnapshot(curl, "ab".repeat(32), null, List.of())) : Optional.empty();
        }, 0, System::nanoTime);
        owners.beginRound();
        DomainLookup names = a -> a.getHostAddress().equals("192.0.2.7") ? "example.test" : null;
        return new FlowTracker(sink, owners, names, ids::incrementAndGet, lookup, cookie -> cookie == 77 ? 4321 : cookie == 78 ? 999 : 0,
                clock::get, EphemeralPorts.LINUX_DEFAULT, MonitorConfig.defaults().withUpdateInterval(Duration.ofSeconds(10)));
    }

    @Test
    void aSocketSeenOnlyAtItsDestroyGetsTheProcessItsConnectRecordNames() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        FlowTracker t = trackerWithConnectRecords(SocketLookup.NONE, reads);
        t.onDestroyed(tcp(77, "10.0.0.1", 45000, "192.0.2.7", 443, SocketState.CLOSE, 500, SightingSource.DESTROY));
        t.onDestroyed(tcp(78, "10.0.0.1", 45001, "192.0.2.7", 443, SocketState.CLOSE, 500, SightingSource.DESTROY)); // pid no longer known
        t.onDestroyed(tcp(79, "10.0.0.1", 45002, "192.0.2.7", 443, SocketState.CLOSE, 500, SightingSource.DESTROY)); // no record
        List<FlowEvent.Opened> opened = sink.of(FlowEvent.Opened.class);
        assertThat(opened).hasSize(3);
        assertThat(opened.get(0).attribution().isKnown()).isTrue();
        assertThat(opened.get(0).attribution().process().info().pid()).isEqualTo(4321);
        assertThat(opened.get(0).attribution().process().info().exe()).isEqualTo("/usr/bin/curl");
        assertThat(opened.get(0).domain()).isEqualTo("example.test");
        assertThat(opened.get(1).attribution().unknownReason()).isEqualTo(FlowTracker.REASON_UNSEEN);
        assertThat(opened.get(2).attribution().unknownReason()).isEqualTo(FlowTracker.REASON_UNSEEN);
        assertThat(opened).allSatisfy(o -> assertThat(sink.closed(o.flowId())).singleElement()
                .satisfies(c -> assertThat(c.counters().bytesOut()).isEqualTo(500)));
        assertThat(t.stats().seenOnlyAtDestroy()).isEqualTo(3);
        assertThat(t.stats().attributedAtDestroy()).isEqualTo(1);
        // A destroy for a flow already seen is not attributed again.
        t.onDestroyed(tcp(77, "10.0.0.1", 45000, "192.0.2.7", 443, SocketState.CLOSE, 500, SightingSource.DESTROY));
        assertThat(sink.of(FlowEvent.Opened.class)).hasSize(3);
        sink.assertConsistent();
    }

    @Test
    void aQueuedPacketsSocketIsAttributedByItsConnectRecordWithoutLookingForHolders() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        SocketEntry syn = new SocketEntry(Netid.TCP, 2, SocketState.SYN_SENT, ep("10.0.0.1", 45000), ep("192.0.2.7", 443),
                null, 0, 0, 0, 0, 123456, 77, 0, null, null, null);
        FlowTracker t = trackerWithConnectRecords((netid, local, remote) -> Optional.of(syn), reads);
        FlowEvent.Opened o = t.onNewConnection(new NewConnection(Transport.TCP, 2, ep("10.0.0.1", 45000), ep("192.0.2.7", 443),
                Direction.OUTBOUND, 0));
        assertThat(o.attribution().process().info().pid()).isEqualTo(4321);
        assertThat(reads).as("one process read, no holder search (the fake /proc is empty)").hasValue(1);
    }

    private static InetEndpoint ep(String addr, int port) throws Exception {
        return new InetEndpoint(InetAddress.getByName(addr), port);
    }

    private static Sighting tcp(long cookie, String local, int lport, String remote, int rport, SocketState state,
                                long bytesOut, SightingSource source) throws Exception {
        return new Sighting(Transport.TCP, 2, ep(local, lport), ep(remote, rport), state, cookie, 0, 0,
                new Counters(bytesOut, bytesOut / 2, 1, 1), source, false);
    }

    @Test
    void opensOnceUpdatesAtMostEveryIntervalAndClosesOnDestroyWithFinalCounters() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        t.onDump(List.of(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.ESTABLISHED, 10, SightingSource.DUMP)), true);
        clock.addAndGet(1000);
        t.onDump(List.of(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.ESTABLISHED, 20, SightingSource.DUMP)), true);
        assertThat(sink.of(FlowEvent.Updated.class)).as("within the interval").isEmpty();
        clock.addAndGet(10_000);
        t.onDump(List.of(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.ESTABLISHED, 30, SightingSource.DUMP)), true);
        assertThat(sink.of(FlowEvent.Updated.class)).singleElement().satisfies(u -> assertThat(u.counters().bytesOut()).isEqualTo(30));
        t.onDestroyed(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.CLOSE, 99, SightingSource.DESTROY));
        FlowEvent.Opened o = sink.of(FlowEvent.Opened.class).getFirst();
        assertThat(o.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(o.domain()).isEqualTo("example.test");
        assertThat(o.attribution().unknownReason()).isEqualTo(SocketOwners.REASON_NO_INODE);
        assertThat(sink.closed(o.flowId())).singleElement().satisfies(c -> {
            assertThat(c.counters().bytesOut()).isEqualTo(99);
            assertThat(c.finalState()).isEqualTo("CLOSE");
        });
        // A dump taken before the destroy but handled after it does not reopen the flow.
        t.onDump(List.of(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.ESTABLISHED, 30, SightingSource.DUMP)), true);
        assertThat(sink.of(FlowEvent.Opened.class)).hasSize(1);
        assertThat(t.liveFlows()).isZero();
        sink.assertConsistent();
    }

    @Test
    void theSnapshotHasTheLatestCountersBetweenPublishedUpdatesAndForgetsClosedFlows() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        t.onDump(List.of(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.ESTABLISHED, 10, SightingSource.DUMP)), true);
        clock.addAndGet(1000);
        t.onDump(List.of(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.ESTABLISHED, 20, SightingSource.DUMP)), true);
        assertThat(t.snapshot()).singleElement().satisfies(f -> {
            assertThat(f.counters().bytesOut()).as("newer than the last published update").isEqualTo(20);
            assertThat(f.state()).isEqualTo("ESTAB");
            assertThat(f.atMillis()).isEqualTo(clock.get());
            assertThat(f.opened().domain()).isEqualTo("example.test");
        });
        long readAt = clock.get();
        clock.addAndGet(700);
        assertThat(t.snapshot().getFirst().atMillis()).as("when the counters were read, not when asked").isEqualTo(readAt);
        t.onDestroyed(tcp(5, "10.0.0.1", 40000, "192.0.2.7", 443, SocketState.CLOSE, 99, SightingSource.DESTROY));
        assertThat(t.snapshot()).isEmpty();
    }

    @Test
    void tcpThatVanishesWaitsForItsDestroyButIcmpClosesAfterTwoCompleteDumps() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        Sighting ping = new Sighting(Transport.ICMP, 2, ep("10.0.0.1", 7), ep("0.0.0.0", 0), SocketState.CLOSE, 0, 4242, 0,
                Counters.UNKNOWN, SightingSource.DUMP, false);
        t.onDump(List.of(tcp(6, "10.0.0.1", 40001, "192.0.2.8", 80, SocketState.ESTABLISHED, 1, SightingSource.DUMP), ping), true);
        clock.addAndGet(1000);
        t.onDump(List.of(), false); // incomplete: counts for nothing
        t.onDump(List.of(), true);
        assertThat(sink.of(FlowEvent.Closed.class)).isEmpty();
        long firstMiss = clock.get();
        clock.addAndGet(1000);
        t.onDump(List.of(), true);
        assertThat(sink.of(FlowEvent.Closed.class)).as("only the ICMP flow").singleElement()
                .satisfies(c -> assertThat(c.endMillis()).isEqualTo(firstMiss));
        clock.addAndGet(MonitorConfig.defaults().destroyGrace().toMillis());
        t.onDump(List.of(), true);
        assertThat(sink.of(FlowEvent.Closed.class)).as("TCP after the grace").hasSize(2);
        t.onDestroyed(tcp(6, "10.0.0.1", 40001, "192.0.2.8", 80, SocketState.CLOSE, 5, SightingSource.DESTROY));
        assertThat(sink.of(FlowEvent.Opened.class)).as("a late destroy does not open it again").hasSize(2);
        sink.assertConsistent();
    }

    @Test
    void closeAllEndsEveryLiveFlowAsMonitorStoppedAndNeitherTwice() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        t.onDump(List.of(tcp(8, "10.0.0.1", 40003, "192.0.2.8", 80, SocketState.ESTABLISHED, 5, SightingSource.DUMP),
                tcp(9, "10.0.0.1", 40004, "192.0.2.8", 80, SocketState.ESTABLISHED, 6, SightingSource.DUMP)), true);
        t.onDestroyed(tcp(9, "10.0.0.1", 40004, "192.0.2.8", 80, SocketState.CLOSE, 7, SightingSource.DESTROY));
        clock.addAndGet(500);
        t.closeAll();
        assertThat(sink.of(FlowEvent.Closed.class)).hasSize(2)
                .filteredOn(c -> c.finalState().equals(FlowTracker.STATE_MONITOR_STOPPED)).singleElement()
                .satisfies(c -> {
                    assertThat(c.endMillis()).isEqualTo(clock.get());
                    assertThat(c.counters().bytesOut()).isEqualTo(5);
                });
        assertThat(t.liveFlows()).isZero();
        t.closeAll();
        assertThat(sink.of(FlowEvent.Closed.class)).hasSize(2);
    }

    @Test
    void lostNotificationsLetTcpVanishAfterTwoDumps() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        t.onDump(List.of(tcp(7, "10.0.0.1", 40002, "192.0.2.8", 80, SocketState.ESTABLISHED, 1, SightingSource.DUMP)), true);
        t.onDestroyNotificationsLost();
        t.onDump(List.of(), true);
        t.onDump(List.of(), true);
        assertThat(sink.of(FlowEvent.Closed.class)).hasSize(1);
    }

    @Test
    void aSocketSeenOnlyAtItsDestroyIsUnknownWithItsDirectionInferred() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        t.onDump(List.of(tcp(1, "0.0.0.0", 8080, "0.0.0.0", 0, SocketState.LISTEN, 0, SightingSource.DUMP)), true);
        t.onDestroyed(tcp(2, "10.0.0.1", 8080, "192.0.2.9", 50000, SocketState.CLOSE, 3, SightingSource.DESTROY));
        t.onDestroyed(tcp(3, "10.0.0.1", 45000, "192.0.2.9", 22, SocketState.CLOSE, 3, SightingSource.DESTROY));
        t.onDestroyed(tcp(4, "10.0.0.1", 1000, "192.0.2.9", 22, SocketState.CLOSE, 3, SightingSource.DESTROY));
        List<FlowEvent.Opened> opened = sink.of(FlowEvent.Opened.class);
        assertThat(opened).extracting(FlowEvent.Opened::direction)
                .containsExactly(Direction.LISTEN, Direction.INBOUND, Direction.OUTBOUND, Direction.UNKNOWN);
        assertThat(opened.subList(1, 4)).allSatisfy(o -> {
            assertThat(o.attribution().unknownReason()).isEqualTo(FlowTracker.REASON_UNSEEN);
            assertThat(sink.closed(o.flowId())).hasSize(1);
        });
        assertThat(t.stats().seenOnlyAtDestroy()).isEqualTo(3);
        sink.assertConsistent();
    }

    @Test
    void aPacketFlowIsOpenedOnceAndAdoptedByTheDumpThatFindsItsSocket() throws Exception {
        SocketEntry synSent = new SocketEntry(Netid.TCP, 2, SocketState.SYN_SENT, ep("10.0.0.1", 41000), ep("192.0.2.7", 443),
                null, 0, 0, 0, 0, 0, 77, 0, null, null, null);
        FlowTracker t = tracker((netid, local, remote) -> local.port() == 41000 ? Optional.of(synSent) : Optional.empty());
        FlowEvent.Opened first = t.onNewConnection(new NewConnection(Transport.TCP, 2, ep("10.0.0.1", 41000), ep("192.0.2.7", 443),
                Direction.OUTBOUND, 0));
        assertThat(first.level()).isEqualTo(InterceptionLevel.INTERCEPT);
        assertThat(first.socketCookie()).isEqualTo(77);
        assertThat(first.domain()).isEqualTo("example.test");
        FlowEvent.Opened again = t.onNewConnection(new NewConnection(Transport.TCP, 2, ep("10.0.0.1", 41000), ep("192.0.2.7", 443),
                Direction.OUTBOUND, 0));
        assertThat(again).isSameAs(first);
        t.onDump(List.of(tcp(77, "10.0.0.1", 41000, "192.0.2.7", 443, SocketState.ESTABLISHED, 1, SightingSource.DUMP)), true);

        // Not found: keyed by addresses, unknown, then adopted under the cookie a dump shows.
        FlowEvent.Opened lost = t.onNewConnection(new NewConnection(Transport.TCP, 2, ep("10.0.0.1", 42000), ep("192.0.2.7", 80),
                Direction.OUTBOUND, 0));
        assertThat(lost.attribution().unknownReason()).isEqualTo(FlowTracker.REASON_NO_SOCKET);
        t.onDump(List.of(tcp(77, "10.0.0.1", 41000, "192.0.2.7", 443, SocketState.ESTABLISHED, 1, SightingSource.DUMP),
                tcp(88, "10.0.0.1", 42000, "192.0.2.7", 80, SocketState.ESTABLISHED, 1, SightingSource.DUMP)), true);
        assertThat(sink.of(FlowEvent.Opened.class)).hasSize(2);
        t.onDestroyed(tcp(88, "10.0.0.1", 42000, "192.0.2.7", 80, SocketState.CLOSE, 9, SightingSource.DESTROY));
        assertThat(sink.closed(lost.flowId())).hasSize(1);
        assertThat(sink.of(FlowEvent.Opened.class).stream().map(FlowEvent.Opened::flowId).distinct()).hasSize(2);
        sink.assertConsistent();
    }

    /** A dump row of a TIME-WAIT mini-socket as the kernel sends it: no inode, uid or tcp_info. */
    private static Sighting timeWaitMiniSocket(long cookie, String local, int lport, String remote, int rport,
                                               SocketState substate) throws Exception {
        return new Sighting(Transport.TCP, 2, ep(local, lport), ep(remote, rport), substate, cookie, 0, 0,
                Counters.UNKNOWN, SightingSource.DUMP, true);
    }

    /**
     * The phantom of the 10,000 conn/s storm: the client closes, the sink acknowledges the FIN but has
     * not closed yet, and the kernel swaps the client's socket (cookie 20, made only at its destroy
     * notification) for a TIME-WAIT mini-socket showing FIN-WAIT-2, which the next dump gives a cookie
     * of its own (21). Whichever of the notification and the dump is handled first (the destroy
     * listener handles notifications up to 50 ms late), the connection is one flow, closed; nothing
     * is left open for the daemon's stop to close as MONITOR-STOPPED.
     */
    @Test
    void aFinWait2TimeWaitMiniSocketWithACookieOfItsOwnIsNotASecondFlowInEitherOrder() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        // the notification first, then a dump showing the mini-socket
        t.onDestroyed(tcp(20, "10.0.0.1", 40010, "192.0.2.8", 9000, SocketState.CLOSE, 1, SightingSource.DESTROY));
        clock.addAndGet(30);
        t.onDump(List.of(timeWaitMiniSocket(21, "10.0.0.1", 40010, "192.0.2.8", 9000, SocketState.FIN_WAIT2)), true);
        // the dump first (taken after the swap, handled before the delayed notification)
        t.onDump(List.of(timeWaitMiniSocket(31, "10.0.0.1", 40011, "192.0.2.8", 9001, SocketState.FIN_WAIT2)), true);
        clock.addAndGet(50);
        t.onDestroyed(tcp(30, "10.0.0.1", 40011, "192.0.2.8", 9001, SocketState.CLOSE, 1, SightingSource.DESTROY));
        // later dumps show the mini-sockets in TIME-WAIT once the sink's FIN came
        clock.addAndGet(1000);
        t.onDump(List.of(timeWaitMiniSocket(21, "10.0.0.1", 40010, "192.0.2.8", 9000, SocketState.TIME_WAIT),
                timeWaitMiniSocket(31, "10.0.0.1", 40011, "192.0.2.8", 9001, SocketState.TIME_WAIT)), true);
        assertThat(sink.of(FlowEvent.Opened.class)).extracting(FlowEvent.Opened::socketCookie).containsExactly(20L, 30L);
        assertThat(t.liveFlows()).isZero();
        t.closeAll();
        assertThat(sink.of(FlowEvent.Closed.class)).extracting(FlowEvent.Closed::finalState).containsExactly("CLOSE", "CLOSE");
        sink.assertConsistent();
    }

    /**
     * A connection seen alive gave its socket a cookie, which the mini-socket inherits: a dump handled
     * before the delayed notification shows the flow's own cookie as FIN-WAIT-2 mini-socket. It neither
     * updates the flow (no counters, not its socket) nor opens a new one, and the notification closes the
     * flow with the socket's final counters. A real FIN-WAIT-2 socket (a program that shut down its
     * sending side and still reads) stays a flow.
     */
    @Test
    void aMiniSocketWithTheFlowsOwnCookieLeavesItToItsDestroyAndARealFinWait2SocketIsStillAFlow() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        t.onDump(List.of(tcp(40, "10.0.0.1", 40020, "192.0.2.8", 9002, SocketState.ESTABLISHED, 5, SightingSource.DUMP),
                tcp(41, "10.0.0.1", 40021, "192.0.2.8", 9003, SocketState.FIN_WAIT2, 6, SightingSource.DUMP)), true);
        clock.addAndGet(1000);
        t.onDump(List.of(timeWaitMiniSocket(40, "10.0.0.1", 40020, "192.0.2.8", 9002, SocketState.FIN_WAIT2),
                tcp(41, "10.0.0.1", 40021, "192.0.2.8", 9003, SocketState.FIN_WAIT2, 6, SightingSource.DUMP)), true);
        t.onDestroyed(tcp(40, "10.0.0.1", 40020, "192.0.2.8", 9002, SocketState.CLOSE, 8, SightingSource.DESTROY));
        assertThat(sink.of(FlowEvent.Opened.class)).extracting(FlowEvent.Opened::socketCookie).containsExactly(40L, 41L);
        assertThat(sink.of(FlowEvent.Updated.class)).isEmpty();
        assertThat(sink.of(FlowEvent.Closed.class)).singleElement().satisfies(c -> {
            assertThat(c.finalState()).isEqualTo("CLOSE");
            assertThat(c.counters().bytesOut()).isEqualTo(8);
        });
        assertThat(t.snapshot()).singleElement().satisfies(f -> assertThat(f.state()).isEqualTo("FIN-WAIT-2"));
        sink.assertConsistent();
    }

    @Test
    void timeWaitAndClosedTcpRowsAreNotFlows() throws Exception {
        FlowTracker t = tracker(SocketLookup.NONE);
        t.onDump(List.of(tcp(9, "10.0.0.1", 40003, "192.0.2.8", 80, SocketState.TIME_WAIT, 1, SightingSource.DUMP),
                tcp(10, "10.0.0.1", 40004, "192.0.2.8", 80, SocketState.CLOSE, 1, SightingSource.DUMP)), true);
        assertThat(sink.events()).isEmpty();
    }
}
