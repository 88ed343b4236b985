package dev.netwarden.rules;

import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.process.ProcessSnapshot;
import dev.netwarden.socket.InetEndpoint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds the ConnectionFacts of test connections, and a clock the tests move. */
final class Facts {
    Transport transport = Transport.TCP;
    Direction direction = Direction.OUTBOUND;
    String remote = "192.0.2.10";
    int port = 443;
    int localPort = 40000;
    String domain;
    String iface = "eth0";
    int uid = -1;
    // process
    boolean hasProcess = true;
    int pid = 4242;
    long startTicks = 777;
    int procUid = 1000;
    String user = "alice";
    String comm = "curl";
    String exe = "/usr/bin/curl";
    List<String> cmdline = List.of("curl", "https://testsite.com/");
    String sha256 = "ab".repeat(32);
    List<ProcessSnapshot.ParentLink> parents = List.of(new ProcessSnapshot.ParentLink(100, "bash", "/usr/bin/bash"),
            new ProcessSnapshot.ParentLink(1, "systemd", "/usr/lib/systemd/systemd"));

    static Facts curl(String domain) {
        Facts f = new Facts();
        f.domain = domain;
        return f;
    }

    static Facts exe(String exe, String domain) {
        Facts f = curl(domain);
        f.exe = exe;
        int slash = exe.lastIndexOf('/');
        f.comm = exe.substring(slash + 1);
        return f;
    }

    Facts port(int p) {
        port = p;
        return this;
    }

    Facts remote(String ip) {
        remote = ip;
        return this;
    }

    Facts noProcess() {
        hasProcess = false;
        return this;
    }

    ConnectionFacts build() {
        try {
            InetAddress r = InetAddress.getByName(remote);
            InetAddress l = InetAddress.getByName(r.getAddress().length == 4 ? "10.0.0.5" : "2001:db8::5");
            ProcessSnapshot p = hasProcess ? new ProcessSnapshot(new ProcessInfo(pid, 100, procUid, user, comm, exe, false,
                    cmdline, startTicks, "/user.slice", null), sha256, null, parents) : null;
            return new ConnectionFacts(transport, r.getAddress().length == 4 ? 2 : 10, direction, new InetEndpoint(l, localPort),
                    new InetEndpoint(r, port), domain, iface, uid, p);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock that only moves when told. */
    static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());

        void advanceMinutes(long m) {
            millis.addAndGet(m * 60_000);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }
}
