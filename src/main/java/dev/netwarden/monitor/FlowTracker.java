package dev.netwarden.monitor;

import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.DomainLookup;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import dev.netwarden.live.LiveFlow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The one code path after a socket is seen: keeps the live flows, gives each an id, its owner
 * ({@link SocketOwners}) and its remote's name ({@link DomainLookup}), and publishes
 * {@link FlowEvent.Opened} exactly once per flow, {@link FlowEvent.Updated} when its counters or state
 * changed (at most once per {@code updateInterval} per flow) and {@link FlowEvent.Closed} at most once.
 *
 * <p><b>Inputs.</b> {@link #onDump} takes a whole passive look (sock_diag dump + /proc/net/icmp);
 * {@link #onDestroyed} the kernel's destroy notification of one socket; {@link #onNewConnection}
 * the first packet of a connection from the NFQUEUE path, which looks the socket up by its addresses.
 *
 * <p><b>Identity.</b> A flow is keyed by its socket cookie when known (unique per boot, the same in
 * dumps, lookups and destroy notifications), else by (transport, inode) for the /proc tables, else by
 * (transport, local, remote) — a packet whose socket was not found yet; a later dump row with the
 * same addresses adopts such a flow under its cookie.
 *
 * <p><b>When a flow closes.</b> (1) Its destroy notification arrives: closed with the kernel's final
 * state and (TCP) final tcp_info counters. (2) It "vanished": missing from
 * {@code vanishAfterMissedDumps} consecutive <em>complete</em> dumps (default 2; a dump that failed
 * part-way counts for nothing), closed at the time of the first dump that missed it, with its last
 * state and counters. Rule 2 applies at once to RAW and ICMP flows (no destroy groups exist); a TCP
 * or UDP flow, whose destroy notification is the better end, vanishes only when notifications were
 * lost (ENOBUFS, {@link #onDestroyNotificationsLost}) since it was last seen, or after
 * {@code destroyGrace} (a TCP socket can be alive but invisible: CLOSE and unhashed after the
 * peer's FIN while its program still holds it). Two misses, not one, because a dump walks hash
 * buckets in chunks and can skip a socket when its bucket changes between chunks.
 *
 * <p><b>Not flows.</b> TCP rows in TIME-WAIT, SYN-RECV mini-sockets (NEW_SYN_RECV) and CLOSE; and every
 * TIME-WAIT mini-socket ({@link Sighting#timeWait()}) whatever state it shows. The last matters: when a
 * program closes a connection and the peer acknowledges its FIN but has not sent its own yet, the
 * kernel replaces the socket by a mini-socket showing FIN-WAIT-2 (for up to tcp_fin_timeout, 60 s) and
 * destroys the socket, whose notification then records the connection. The mini-socket shows the same
 * addresses but, when no one had asked for the socket's cookie before (a connection shorter than the
 * poll), a cookie of its own that the kernel makes when a dump first shows it: no tombstone matches
 * it, and opening it would record the connection a second time, as a flow that never gets a destroy
 * notification (mini-sockets have none).
 *
 * <p><b>Races.</b> A cookie closed here is remembered (the last 65,536, ~11 minutes at 100
 * connections/s) so that a dump taken before a destroy notification but handled after it, or a
 * late notification of a vanished flow, cannot open the flow a second time.
 *
 * <p>Thread-safe: the flow table is guarded by one lock, held only for table work and publishing
 * (the sink never blocks); owner resolution (which may rescan /proc) and domain lookups run outside it.
 */
public final class FlowTracker {
    static final String REASON_UNSEEN = "socket closed before it was seen (passive level)";
    static final String REASON_NO_SOCKET = "no socket found for the packet's addresses";
    private static final int MAX_TOMBSTONES = 65_536;

    private final FlowEventSink sink;
    private final SocketOwners owners;
    private final DomainLookup domains;
    private final LongSupplier flowIds;
    private final SocketLookup lookup;
    private final ConnectingPids connecting;
    private final LongSupplier clockMillis;
    private final EphemeralPorts ephemeral;
    private final long updateIntervalMillis;
    private final int vanishAfter;
    private final long destroyGraceMillis;

    private final Object lock = new Object();
    private final Map<Object, Flow> flows = new HashMap<>();
    private final Map<TupleKey, Flow> cookieless = new HashMap<>();
    private final RecentCookies tombstones = new RecentCookies(MAX_TOMBSTONES);
    private final RecentListeners listeners;
    private long generation;
    private long lostGeneration = -1;

    private long destroyNotifications;
    private long dumps, sightings, opened, updated, closedByDestroy, closedByVanish, seenOnlyAtDestroy, unusedIgnored,
            deferred, packets, incompleteDumps, attributedAtDestroy;

    /** Who connected a TCP socket, by its cookie ({@code ConnectRecorder::pidOf}); 0 when not known. */
    @FunctionalInterface
    public interface ConnectingPids {
        ConnectingPids NONE = cookie -> 0;

        int pidOf(long cookie);
    }

    /**
     * @param flowIds     the next flow id (history hands out ids unique within it)
     * @param lookup      finds a packet's socket ({@code SockDiag::lookup} in the monitored namespace)
     * @param clockMillis wall clock in epoch milliseconds ({@code System::currentTimeMillis})
     * @param ephemeral   the namespace's ephemeral port range (direction of connections seen only at their end)
     */
    public FlowTracker(FlowEventSink sink, SocketOwners owners, DomainLookup domains, LongSupplier flowIds,
                       SocketLookup lookup, LongSupplier clockMillis, EphemeralPorts ephemeral, MonitorConfig config) {
        this(sink, owners, domains, flowIds, lookup, ConnectingPids.NONE, clockMillis, ephemeral, config);
    }

    /**
     * @param connecting who connected a TCP socket ({@code ConnectRecorder::pidOf}): a packet's socket is
     *                   attributed to that process without looking for its holders, and a socket closed
     *                   before any poll saw it still gets its process
     */
    public FlowTracker(FlowEventSink sink, SocketOwners owners, DomainLookup domains, LongSupplier flowIds,
                       SocketLookup lookup, ConnectingPids connecting, LongSupplier clockMillis, EphemeralPorts ephemeral,
                       MonitorConfig config) {
        this.connecting = Objects.requireNonNull(connecting, "connecting is null");
        this.sink = Objects.requireNonNull(sink, "sink is null");
        this.owners = Objects.requireNonNull(owners, "owners is null");
        this.domains = Objects.requireNonNull(domains, "domains is null");
        this.flowIds = Objects.requireNonNull(flowIds, "flowIds is null");
        this.lookup = Objects.requireNonNull(lookup, "lookup is null");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis is null");
        this.ephemeral = Objects.requireNonNull(ephemeral, "ephemeral is null");
        Objects.requireNonNull(config, "config is null");
        this.updateIntervalMillis = config.updateInterval().toMillis();
        this.vanishAfter = config.vanishAfterMissedDumps();
        this.destroyGraceMillis = config.destroyGrace().toMillis();
        this.listeners = new RecentListeners(config.listenerMemory().toMillis());
    }

    /**
     * One passive look at every socket of the namespace.
     *
     * @param complete false when the dump failed part-way: its rows still open and update flows, but
     *                 nothing is closed for being absent from it
     */
    public void onDump(List<Sighting> dump, boolean complete) {
        Objects.requireNonNull(dump, "dump is null");
        long now = clockMillis.getAsLong();
        owners.beginRound();
        List<Sighting> fresh = new ArrayList<>();
        long gen;
        synchronized (lock) {
            gen = ++generation;
            dumps++;
            if (!complete) {
                incompleteDumps++;
            }
            for (Sighting s : dump) {
                if (s.transport() == Transport.TCP && s.state() == SocketState.LISTEN) {
                    listeners.saw(s.local(), now);
                }
            }
            for (Sighting s : dump) {
                if (!isFlow(s)) {
                    continue;
                }
                sightings++;
                Flow f = find(s);
                if (f != null) {
                    touch(f, s, gen, now);
                } else if (!isTombstoned(s.cookie(), now)) {
                    fresh.add(s);
                }
            }
        }
        for (Sighting s : fresh) {
            Attribution attribution = owners.resolve(s.inode(), false);
            if (attribution == null) {
                synchronized (lock) {
                    deferred++;
                }
                continue; // seen again at the next dump, when a full rescan is allowed
            }
            String domain = domainOf(s);
            synchronized (lock) {
                Flow f = find(s);
                if (f != null) {
                    touch(f, s, gen, now);
                } else if (!isTombstoned(s.cookie(), now)) {
                    Direction d = DirectionRule.of(s, listeners.covers(s.local(), now), false, ephemeral);
                    open(s, keyOf(s), d, attribution, domain, InterceptionLevel.PASSIVE, now).seenGeneration = gen;
                }
            }
        }
        if (complete) {
            synchronized (lock) {
                sweep(gen, now);
                listeners.forgetOlderThanMemory(now);
            }
        }
    }

    /**
     * The kernel destroyed a socket (its last state; TCP with final tcp_info, no inode). A socket no poll
     * or packet saw is recorded from this notification alone, attributed to the process that connected
     * it when a connect record names one, else unknown.
     */
    public void onDestroyed(Sighting s) {
        Objects.requireNonNull(s, "s is null");
        long now = clockMillis.getAsLong();
        synchronized (lock) {
            if (s.transport() == Transport.TCP && s.state() == SocketState.LISTEN) {
                listeners.saw(s.local(), now);
            }
            if (destroyKnown(s, now)) {
                return;
            }
        }
        // Seen only now. Its connecting process is read outside the lock (that may read /proc).
        Attribution connector = connectorOf(s);
        synchronized (lock) {
            if (destroyKnown(s, now)) {
                return; // a packet or a dump opened it meanwhile
            }
            Direction d = DirectionRule.of(s, listeners.covers(s.local(), now), true, ephemeral);
            // Never a guess: without a connect record the socket left its file before anyone looked.
            Flow shadow = open(s, keyOf(s), d, connector != null ? connector : Attribution.unknown(REASON_UNSEEN),
                    domainOf(s), InterceptionLevel.PASSIVE, now);
            close(shadow, now, s.stateLabel(), s.counters());
            seenOnlyAtDestroy++;
            if (connector != null) {
                attributedAtDestroy++;
            }
            tombstone(s.cookie(), now);
            destroyNotifications++;
        }
    }

    /**
     * Under the lock: closes the flow of a destroyed socket, or ignores the notification (a socket never
     * used, or one already closed); false when the socket was never seen, for the caller to record.
     */
    private boolean destroyKnown(Sighting s, long now) {
        Flow f = find(s);
        if (f != null) {
            Counters last = s.counters().isKnown() ? s.counters() : f.counters;
            close(f, now, s.stateLabel(), last);
            closedByDestroy++;
        } else if (neverUsed(s)) {
            // A socket created and closed without ever being bound or connected (programs probing
            // for IPv6 support do this): no traffic, no endpoint, not a connection.
            unusedIgnored++;
        } else if (!isTombstoned(s.cookie(), now)) {
            return false;
        }
        tombstone(s.cookie(), now);
        destroyNotifications++;
        return true;
    }

    /** The process that connected this TCP socket, when a connect record names one still known. */
    private Attribution connectorOf(Sighting s) {
        if (s.transport() != Transport.TCP || s.cookie() == 0) {
            return null;
        }
        return owners.ownerByPid(connecting.pidOf(s.cookie()), false); // the listener's thread never waits for a hash
    }

    /**
     * Destroy notifications handled so far. The poller compares it between polls: an unchanged count
     * is part of its evidence that no TCP socket came or went (see {@link TcpDumpGate}).
     */
    public long destroyNotifications() {
        synchronized (lock) {
            return destroyNotifications;
        }
    }

    /**
     * The first packet of a new connection (NFQUEUE): finds its socket, attributes it now (no
     * deferral: the packet waits) and returns the flow's {@code Opened} event — the existing one if
     * the flow is already known. A SYN arriving for a listener is attributed to the listener's owner
     * (the process that will accept it) and keyed by its addresses until a dump sees the accepted
     * socket; a packet of an unconnected UDP socket likewise.
     */
    public FlowEvent.Opened onNewConnection(NewConnection c) throws IOException {
        Objects.requireNonNull(c, "c is null");
        long now = clockMillis.getAsLong();
        Netid netid = switch (c.transport()) {
            case TCP -> Netid.TCP;
            case UDP -> Netid.UDP;
            default -> null;
        };
        Optional<SocketEntry> found = netid == null ? Optional.empty() : lookup.lookup(netid, c.local(), c.remote());
        Sighting s;
        Attribution attribution;
        owners.beginRound();
        if (found.isEmpty()) {
            s = new Sighting(c.transport(), c.family(), c.local(), c.remote(), SocketState.UNKNOWN, 0, 0, c.uid(),
                    Counters.UNKNOWN, SightingSource.PACKET, false);
            attribution = Attribution.unknown(REASON_NO_SOCKET);
        } else {
            SocketEntry e = found.get();
            // The process that connected it, when recorded: no look for holders (fd scans) needed.
            Attribution connector = netid == Netid.TCP && e.state() == SocketState.SYN_SENT
                    ? owners.ownerByPid(connecting.pidOf(e.cookie()), true) : null;
            attribution = connector != null ? connector : owners.resolve(e.inode(), true);
            boolean sharedSocket = e.state() == SocketState.LISTEN
                    || (netid == Netid.UDP && e.remote().port() == 0);
            s = sharedSocket
                    ? new Sighting(c.transport(), c.family(), c.local(), c.remote(),
                        netid == Netid.TCP ? SocketState.SYN_RECV : SocketState.ESTABLISHED, 0, 0, e.uid(),
                        Counters.UNKNOWN, SightingSource.PACKET, false)
                    : Sighting.of(e, c.transport(), SightingSource.PACKET);
        }
        String domain = domainOf(s);
        synchronized (lock) {
            packets++;
            Flow f = find(s);
            if (f != null) {
                return f.opened;
            }
            Direction d = c.direction() != Direction.UNKNOWN ? c.direction()
                    : DirectionRule.of(s, listeners.covers(s.local(), now), false, ephemeral);
            Flow flow = open(s, keyOf(s), d, attribution, domain, InterceptionLevel.INTERCEPT, now);
            flow.seenGeneration = generation;
            return flow.opened;
        }
    }

    /**
     * Destroy notifications were lost (receive buffer overrun): TCP/UDP flows missing from dumps since
     * then are closed by the vanish rule without waiting for a notification that will not come.
     */
    public void onDestroyNotificationsLost() {
        synchronized (lock) {
            lostGeneration = generation;
        }
    }

    /** Flows open now. */
    public int liveFlows() {
        synchronized (lock) {
            return flows.size();
        }
    }

    /**
     * The flows open now with their latest state and counters, for the live views ({@code top}, the
     * web UI). A copy taken under the lock: O(flows), called about once a second by each viewer. Each
     * flow's time is when its counters were read (its last sighting), not the time of this call: a
     * viewer polling at the same rate as the monitor would otherwise see a dump's bytes land in the
     * wrong second, and its rates jump between zero and double.
     */
    public List<LiveFlow> snapshot() {
        synchronized (lock) {
            List<LiveFlow> out = new ArrayList<>(flows.size());
            for (Flow f : flows.values()) {
                out.add(new LiveFlow(f.opened, f.state, f.counters, f.seenMillis));
            }
            return out;
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(dumps, incompleteDumps, sightings, opened, updated, closedByDestroy, closedByVanish,
                    seenOnlyAtDestroy, attributedAtDestroy, deferred, packets, unusedIgnored, flows.size());
        }
    }

    /**
     * @param seenOnlyAtDestroy flows whose only sighting was their destroy notification
     * @param attributedAtDestroy of those, the ones a connect record attributed (the rest are unknown)
     * @param deferred          new sockets put off to the next dump while a full /proc rescan was rate-limited
     */
    public record Stats(long dumps, long incompleteDumps, long sightings, long opened, long updated,
                        long closedByDestroy, long closedByVanish, long seenOnlyAtDestroy, long attributedAtDestroy,
                        long deferred, long packets, long unusedIgnored, int liveFlows) {}

    /** The final state recorded for connections still open when the monitor stops watching them. */
    public static final String STATE_MONITOR_STOPPED = "MONITOR-STOPPED";

    /**
     * Closes every live flow as {@link #STATE_MONITOR_STOPPED} with its last counters: the daemon is
     * stopping and will not see how they end. History then never holds a connection that looks open
     * forever; a restarted daemon records the ones still alive as new flows.
     */
    public void closeAll() {
        long now = clockMillis.getAsLong();
        synchronized (lock) {
            for (Flow f : List.copyOf(flows.values())) {
                close(f, now, STATE_MONITOR_STOPPED, f.counters);
            }
        }
    }

    // ---- under lock ----

    private static boolean isFlow(Sighting s) {
        if (s.transport() != Transport.TCP) {
            return true;
        }
        if (s.timeWait()) {
            return false; // whatever substate it shows: its socket was destroyed, and reported, already
        }
        return switch (s.state()) {
            case TIME_WAIT, NEW_SYN_RECV, CLOSE -> false;
            default -> true;
        };
    }

    private Flow find(Sighting s) {
        Flow f = flows.get(keyOf(s));
        if (f != null || s.cookie() == 0) {
            return f;
        }
        // A flow opened from a packet before its socket was known: adopt it under the cookie.
        TupleKey tuple = new TupleKey(s.transport(), s.local(), s.remote());
        f = cookieless.remove(tuple);
        if (f != null) {
            flows.remove(f.key);
            f.key = keyOf(s);
            flows.put(f.key, f);
        }
        return f;
    }

    private static Object keyOf(Sighting s) {
        if (s.cookie() != 0) {
            return s.cookie();
        }
        if (s.inode() != 0) {
            return new InodeKey(s.transport(), s.inode());
        }
        return new TupleKey(s.transport(), s.local(), s.remote());
    }

    private Flow open(Sighting s, Object key, Direction direction, Attribution attribution, String domain,
                      InterceptionLevel level, long now) {
        long id = flowIds.getAsLong();
        FlowEvent.Opened event = new FlowEvent.Opened(id, now, s.transport(), s.family(), s.local(), s.remote(),
                direction, s.stateLabel(), attribution, domain, level, s.cookie());
        Flow f = new Flow(id, key, event, s.stateLabel(), s.counters(), now);
        flows.put(key, f);
        if (key instanceof TupleKey tuple) {
            cookieless.put(tuple, f);
        }
        opened++;
        sink.publish(event);
        return f;
    }

    private void touch(Flow f, Sighting s, long gen, long now) {
        f.seenGeneration = gen;
        f.seenMillis = now;
        f.missed = 0;
        String state = s.stateLabel();
        Counters counters = s.counters().isKnown() ? s.counters() : f.counters;
        f.state = state;
        f.counters = counters;
        boolean changed = !state.equals(f.publishedState) || !counters.equals(f.publishedCounters);
        if (changed && now - f.lastPublishedMillis >= updateIntervalMillis) {
            f.publishedState = state;
            f.publishedCounters = counters;
            f.lastPublishedMillis = now;
            updated++;
            sink.publish(new FlowEvent.Updated(f.id, now, state, counters));
        }
    }

    private void close(Flow f, long endMillis, String finalState, Counters counters) {
        flows.remove(f.key);
        if (f.key instanceof TupleKey tuple) {
            cookieless.remove(tuple);
        }
        sink.publish(new FlowEvent.Closed(f.id, endMillis, finalState, counters));
    }

    private void sweep(long gen, long now) {
        List<Flow> vanished = null;
        for (Flow f : flows.values()) {
            if (f.seenGeneration == gen) {
                continue;
            }
            if (f.missed++ == 0) {
                f.firstMissedMillis = now;
            }
            Transport t = f.opened.transport();
            boolean awaitsDestroy = t == Transport.TCP || t == Transport.UDP;
            if (f.missed >= vanishAfter && (!awaitsDestroy || lostGeneration >= f.seenGeneration
                    || now - f.firstMissedMillis >= destroyGraceMillis)) {
                if (vanished == null) {
                    vanished = new ArrayList<>();
                }
                vanished.add(f);
            }
        }
        if (vanished != null) {
            for (Flow f : vanished) {
                close(f, f.firstMissedMillis, f.state, f.counters);
                closedByVanish++;
                tombstone(f.opened.socketCookie(), now);
            }
        }
    }

    private void tombstone(long cookie, long now) {
        tombstones.add(cookie);
    }

    private static boolean neverUsed(Sighting s) {
        return s.local().port() == 0 && s.remote().port() == 0
                && s.local().address().isAnyLocalAddress() && s.remote().address().isAnyLocalAddress();
    }

    private boolean isTombstoned(long cookie, long now) {
        if (cookie == 0) {
            return false;
        }
        return tombstones.contains(cookie);
    }

    private String domainOf(Sighting s) {
        if (s.remote().address().isAnyLocalAddress()) {
            return null;
        }
        return domains.nameFor(s.remote().address());
    }

    private record InodeKey(Transport transport, long inode) {}

    private record TupleKey(Transport transport, InetEndpoint local, InetEndpoint remote) {}

    /** A live flow: mutable, touched only under the tracker's lock. */
    private static final class Flow {
        final long id;
        final FlowEvent.Opened opened;
        Object key;
        String state;
        Counters counters;
        String publishedState;
        Counters publishedCounters;
        long lastPublishedMillis;
        /** When its state and counters were last read from the kernel. */
        long seenMillis;
        long seenGeneration;
        int missed;
        long firstMissedMillis;

        Flow(long id, Object key, FlowEvent.Opened opened, String state, Counters counters, long now) {
            this.id = id;
            this.key = key;
            this.opened = opened;
            this.state = state;
            this.counters = counters;
            this.publishedState = state;
            this.publishedCounters = counters;
            this.lastPublishedMillis = now;
            this.seenMillis = now;
        }
    }
}
