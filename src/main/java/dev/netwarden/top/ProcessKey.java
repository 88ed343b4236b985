package dev.netwarden.top;

import dev.netwarden.flow.Attribution;
import dev.netwarden.process.ProcessInfo;

/**
 * Which process a row is about: pid and start time (a reused pid is another process). Connections with
 * no known owner share one key, {@link #UNKNOWN}.
 */
record ProcessKey(int pid, long startTicks) {
    static final ProcessKey UNKNOWN = new ProcessKey(-1, -1);

    static ProcessKey of(Attribution a) {
        if (!a.isKnown()) {
            return UNKNOWN;
        }
        ProcessInfo i = a.process().info();
        return new ProcessKey(i.pid(), i.startTicks());
    }
}
