package dev.netwarden.firewall;

import dev.netwarden.flow.Transport;

import java.net.InetAddress;
import java.util.List;

/**
 * A snapshot of one pending question, for the control API and {@code netwarden prompt}. Process
 * fields are null (pid/uid -1) when the connection could not be attributed. Every string may hold
 * attacker-chosen text: escape it before printing.
 *
 * @param heldPackets packets waiting for the answer (first packets and their retransmits)
 * @param connections distinct connections waiting
 * @param deadlineMillis when the timeout action applies (epoch ms)
 */
public record PendingPrompt(long id, String app, String exe, List<String> cmdline, String user, int uid, int pid,
                            InetAddress remoteAddress, String domain, int port, Transport transport, int heldPackets,
                            int connections, long createdMillis, long deadlineMillis, Action timeoutAction) {
    public PendingPrompt {
        cmdline = cmdline == null ? List.of() : List.copyOf(cmdline);
    }
}
