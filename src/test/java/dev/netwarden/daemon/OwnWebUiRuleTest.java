package dev.netwarden.daemon;

import dev.netwarden.daemon.config.WebSection;
import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.RuleMatch;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;
import dev.netwarden.socket.InetEndpoint;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OwnWebUiRuleTest {
    private static final RuleMatch DENY_ALL = new RuleMatch("deny-all", Action.DENY, "every connection");

    private static ConnectionFacts to(Transport t, Direction d, String address, int port) {
        InetAddress a = InetAddress.ofLiteral(address);
        return new ConnectionFacts(t, a.getAddress().length == 4 ? 2 : 10, d, new InetEndpoint(InetAddress.ofLiteral("127.0.0.1"), 40000),
                new InetEndpoint(a, port), null, "lo", 0, null);
    }

    @Test
    void theUisOwnPortOnLoopbackIsAllowedBeforeTheRulesAndNothingElse() {
        OwnWebUiRule rule = new OwnWebUiRule(new WebSection(true, "127.0.0.1", 7979, null, null), f -> Optional.of(DENY_ALL));
        assertThat(rule.match(to(Transport.TCP, Direction.OUTBOUND, "127.0.0.1", 7979))).get()
                .satisfies(m -> assertThat(m.action()).isEqualTo(Action.ALLOW)).extracting(RuleMatch::ruleId).isEqualTo("web-ui");
        assertThat(rule.match(to(Transport.TCP, Direction.OUTBOUND, "::1", 7979)).get().action()).isEqualTo(Action.ALLOW);
        assertThat(rule.match(to(Transport.TCP, Direction.OUTBOUND, "::ffff:127.0.0.1", 7979)).get().action()).isEqualTo(Action.ALLOW);
        assertThat(rule.match(to(Transport.TCP, Direction.OUTBOUND, "127.0.0.1", 7980)).get()).isEqualTo(DENY_ALL);
        assertThat(rule.match(to(Transport.UDP, Direction.OUTBOUND, "127.0.0.1", 7979)).get()).isEqualTo(DENY_ALL);
        assertThat(rule.match(to(Transport.TCP, Direction.OUTBOUND, "192.0.2.1", 7979)).get()).isEqualTo(DENY_ALL);
        assertThat(rule.match(to(Transport.TCP, Direction.INBOUND, "127.0.0.1", 7979)).get()).isEqualTo(DENY_ALL);
        OwnWebUiRule lan = new OwnWebUiRule(new WebSection(true, "192.0.2.1", 7979, null, null), f -> Optional.empty());
        assertThat(lan.match(to(Transport.TCP, Direction.OUTBOUND, "192.0.2.1", 7979)).get().action()).isEqualTo(Action.ALLOW);
        OwnWebUiRule off = new OwnWebUiRule(new WebSection(false, "127.0.0.1", 7979, null, null), f -> Optional.empty());
        assertThat(off.match(to(Transport.TCP, Direction.OUTBOUND, "127.0.0.1", 7979))).isEmpty();
    }
}
