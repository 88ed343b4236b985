package dev.netwarden.top;

import dev.netwarden.conns.Services;
import dev.netwarden.flow.Attribution;
import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.InterceptionLevel;
import dev.netwarden.flow.Transport;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionRowTest {
    private static ConnectionRow row(String local, int localPort, String remote, int remotePort) {
        FlowEvent.Opened o = new FlowEvent.Opened(1, TopFixtures.T, Transport.TCP, 10,
                new InetEndpoint(InetAddress.ofLiteral(local), localPort), new InetEndpoint(InetAddress.ofLiteral(remote), remotePort),
                Direction.LISTEN, "LISTEN", Attribution.unknown("test"), null, InterceptionLevel.PASSIVE, 1);
        LiveFlow f = new LiveFlow(o, "LISTEN", Counters.UNKNOWN, TopFixtures.T);
        return new ConnectionRow(new Tally.FlowStat(f, 0, 0, 0, 0, false), Services.parse(""));
    }

    @Test
    void aWildcardIsAStarInBothFamiliesAndOnlyRealIpv6AddressesGetBrackets() {
        assertThat(row("::", 7979, "::", 0).remote()).isEqualTo("*:*");
        assertThat(row("::", 7979, "::", 0).local()).isEqualTo("*:7979");
        assertThat(row("0.0.0.0", 53, "0.0.0.0", 0).remote()).isEqualTo("*:*");
        assertThat(row("fe80::1", 22, "2001:db8::7", 443).remote()).isEqualTo("[2001:db8::7]:443");
    }
}
