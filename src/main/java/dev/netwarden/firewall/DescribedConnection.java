package dev.netwarden.firewall;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.linux.proc.UserNames;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A connection described by hand rather than seen on the wire: what {@code netwarden rules test} and
 * {@code POST /api/rules/test} ask the rules about. Each of them parses its own input (flags, JSON)
 * and reports bad input its own way; what the description means as {@link ConnectionFacts} is said
 * here once, so that the command line and the web UI give the same answer for the same connection.
 * Null text fields are unknown.
 *
 * @param remote      the remote address; 0.0.0.0 when the caller knows none
 * @param port        the remote port of an outbound connection, the local port otherwise; 0 unknown
 * @param user        a user name or a decimal uid; null or blank: unknown
 * @param comm        the process name; null: the executable's file name
 * @param cmdline     the command line, split on spaces; null: the executable alone
 * @param parentExes  the ancestors' executables, nearest first
 * @param pid         the process id, -1 unknown (until-exit rules need it with {@code startTicks})
 * @param startTicks  the process's start time in clock ticks, -1 unknown
 * @param domain      the name the program asked for; blank is unknown
 */
public record DescribedConnection(
        Transport transport,
        Direction direction,
        InetAddress remote,
        int port,
        String user,
        String exe,
        String comm,
        String cmdline,
        String sha256,
        List<String> parentExes,
        int pid,
        long startTicks,
        String domain,
        String interfaceName) {

    public DescribedConnection {
        Objects.requireNonNull(transport, "transport is null");
        Objects.requireNonNull(direction, "direction is null");
        Objects.requireNonNull(remote, "remote is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0..65535");
        }
        parentExes = parentExes == null ? List.of() : List.copyOf(parentExes);
    }

    /**
     * The facts the rules match on. A process is described when any process field or the user is
     * given; otherwise the connection is unattributed, as when the monitor could not find its owner.
     *
     * @param users the passwd names, to resolve {@link #user} both ways (name → uid, uid → name)
     */
    public ConnectionFacts facts(UserNames users) {
        Objects.requireNonNull(users, "users is null");
        boolean v4 = remote.getAddress().length == 4;
        InetAddress local = InetAddress.ofLiteral(v4 ? "0.0.0.0" : "::");
        boolean outbound = direction == Direction.OUTBOUND;
        InetEndpoint remoteEp = new InetEndpoint(remote, outbound ? port : 0);
        InetEndpoint localEp = new InetEndpoint(local, outbound ? 0 : port);
        int uid = -1;
        String userName = null;
        if (user != null && !user.isBlank()) {
            if (user.length() < 10 && user.chars().allMatch(Character::isDigit)) {
                uid = Integer.parseInt(user);
                userName = users.nameOf(uid);
            } else {
                userName = user;
                uid = users.uidOf(user);
            }
        }
        ProcessSnapshot snapshot = null;
        if (exe != null || comm != null || cmdline != null || sha256 != null || !parentExes.isEmpty() || pid > 0
                || userName != null) {
            String name = comm != null ? comm : exe == null ? null : fileName(exe);
            List<String> argv = cmdline != null ? List.of(cmdline.split(" ", -1)) : exe == null ? List.of() : List.of(exe);
            List<ProcessSnapshot.ParentLink> parents = parentExes.stream()
                    .map(pe -> new ProcessSnapshot.ParentLink(-1, fileName(pe), pe)).toList();
            snapshot = new ProcessSnapshot(new ProcessInfo(pid, -1, uid, userName, name, exe, false, argv, startTicks, null, null),
                    sha256, null, parents);
        }
        return new ConnectionFacts(transport, v4 ? 2 : 10, direction, localEp, remoteEp,
                domain == null || domain.isBlank() ? null : domain.strip(), interfaceName, uid, snapshot);
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
