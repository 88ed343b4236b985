package dev.netwarden.top;

import dev.netwarden.conns.Services;
import dev.netwarden.conns.format.AddressText;
import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;

/**
 * One connection of the connections pane. Its numbers are read at once; its texts (addresses, port and
 * service, names, all escaped) are made on first use and kept: at 20,000 connections only the screenful
 * shown, or the rows a filter or a text sort looks at, pay for them.
 */
final class ConnectionRow {
    private final Tally.FlowStat stat;
    private final Services services;
    private String local;
    private String remote;
    private String domain;
    private String port;
    private String process;
    private String user;

    ConnectionRow(Tally.FlowStat stat, Services services) {
        this.stat = stat;
        this.services = services;
    }

    private FlowEvent.Opened opened() {
        return stat.flow().opened();
    }

    private ProcessInfo info() {
        return opened().attribution().isKnown() ? opened().attribution().process().info() : null;
    }

    Tally.FlowStat stat() {
        return stat;
    }

    long id() {
        return opened().flowId();
    }

    double up() {
        return stat.up();
    }

    double down() {
        return stat.down();
    }

    long totalUp() {
        return stat.totalUp();
    }

    long totalDown() {
        return stat.totalDown();
    }

    boolean dns() {
        return stat.dns();
    }

    int pid() {
        ProcessInfo i = info();
        return i == null ? -1 : i.pid();
    }

    String protocol() {
        return opened().transport().label() + (opened().family() == 10 ? "6" : "");
    }

    String local() {
        if (local == null) {
            local = endpoint(opened().local());
        }
        return local;
    }

    String remote() {
        if (remote == null) {
            remote = endpoint(opened().remote());
        }
        return remote;
    }

    String domain() {
        if (domain == null) {
            domain = opened().domain() == null ? "" : TerminalText.sanitize(opened().domain());
        }
        return domain;
    }

    String port() {
        if (port == null) {
            port = port(opened(), services);
        }
        return port;
    }

    String process() {
        if (process == null) {
            process = Names.process(info());
        }
        return process;
    }

    String user() {
        if (user == null) {
            user = Names.user(info());
        }
        return user;
    }

    String state() {
        return TerminalText.sanitize(stat.flow().state());
    }

    private static String endpoint(InetEndpoint e) {
        StringBuilder sb = new StringBuilder(24);
        // A wildcard is "*" in both families ("[*]" would read as an address); only real IPv6 addresses get brackets.
        boolean v6 = e.address().getAddress().length == 16 && !e.address().isAnyLocalAddress();
        if (v6) {
            sb.append('[');
        }
        if (e.address().isAnyLocalAddress()) {
            sb.append('*');
        } else {
            AddressText.append(sb, e.address());
        }
        if (v6) {
            sb.append(']');
        }
        sb.append(':');
        if (e.port() == 0) {
            sb.append('*');
        } else {
            sb.append(e.port());
        }
        return sb.toString();
    }

    /** The port that says what the connection is for (the remote one outbound, the local one inbound), with its service name. */
    static String port(FlowEvent.Opened o, Services services) {
        boolean local = o.direction() == Direction.INBOUND || o.direction() == Direction.LISTEN
                || (o.direction() == Direction.UNKNOWN && o.remote().port() == 0);
        int port = local ? o.local().port() : o.remote().port();
        if (port == 0) {
            return "*";
        }
        String name = services.name(port, o.transport().label());
        return name == null ? Integer.toString(port) : port + "/" + name;
    }
}
