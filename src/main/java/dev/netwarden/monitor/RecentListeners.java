package dev.netwarden.monitor;

import dev.netwarden.socket.InetEndpoint;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The TCP listening addresses seen lately, to tell an accepted connection (its local port is one a
 * listener has) from an outbound one. Remembered for a while after the listener was last seen,
 * because a one-shot server may close its listener before its accepted connection is first looked
 * at. Not thread-safe: {@link FlowTracker} uses it under its lock.
 */
final class RecentListeners {
    private record Seen(InetAddress address, long lastSeenMillis) {}

    private final long memoryMillis;
    private final Map<Integer, List<Seen>> byPort = new HashMap<>();

    RecentListeners(long memoryMillis) {
        this.memoryMillis = memoryMillis;
    }

    void saw(InetEndpoint listening, long nowMillis) {
        List<Seen> list = byPort.computeIfAbsent(listening.port(), p -> new ArrayList<>(1));
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).address().equals(listening.address())) {
                list.set(i, new Seen(listening.address(), nowMillis));
                return;
            }
        }
        list.add(new Seen(listening.address(), nowMillis));
    }

    /**
     * True when a listener on {@code local}'s port was seen within the memory on the same address or
     * a wildcard one. Families are not told apart: a dual-stack {@code ::} listener accepts IPv4 too.
     */
    boolean covers(InetEndpoint local, long nowMillis) {
        List<Seen> list = byPort.get(local.port());
        if (list == null) {
            return false;
        }
        for (Seen s : list) {
            if (nowMillis - s.lastSeenMillis() <= memoryMillis
                    && (s.address().isAnyLocalAddress() || s.address().equals(local.address()))) {
                return true;
            }
        }
        return false;
    }

    void forgetOlderThanMemory(long nowMillis) {
        for (Iterator<List<Seen>> it = byPort.values().iterator(); it.hasNext(); ) {
            List<Seen> list = it.next();
            list.removeIf(s -> nowMillis - s.lastSeenMillis() > memoryMillis);
            if (list.isEmpty()) {
                it.remove();
            }
        }
    }
}
