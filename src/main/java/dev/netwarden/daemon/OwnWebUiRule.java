package dev.netwarden.daemon;

import dev.netwarden.daemon.config.WebSection;
import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.ConnectionFacts;
import dev.netwarden.firewall.RuleMatch;
import dev.netwarden.firewall.RuleMatcher;
import dev.netwarden.flow.Direction;
import dev.netwarden.flow.Transport;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets every connection to the daemon's own web UI through, before the rules are asked. Why: at the
 * intercept level a browser's (or an SSH tunnel's) first connection to {@code 127.0.0.1:7979} is an
 * outbound connection like any other; with {@code default_action = "prompt"} it would wait for an
 * answer that can only be given in the UI it is trying to reach. Only TCP to the UI's port on a
 * loopback address or on {@code web.address} itself; the UI still needs its token.
 */
final class OwnWebUiRule implements RuleMatcher {
    static final String RULE_ID = "web-ui";

    private final WebSection web;
    private final InetAddress address;
    private final RuleMatcher next;
    private final RuleMatch allow;

    OwnWebUiRule(WebSection web, RuleMatcher next) {
        this.web = Objects.requireNonNull(web, "web is null");
        this.next = Objects.requireNonNull(next, "next is null");
        this.address = InetAddress.ofLiteral(web.address());
        this.allow = new RuleMatch(RULE_ID, Action.ALLOW, "the daemon's own web UI (port " + web.port() + ")");
    }

    @Override
    public Optional<RuleMatch> match(ConnectionFacts facts) {
        if (web.enabled() && facts.transport() == Transport.TCP && facts.direction() == Direction.OUTBOUND
                && facts.remote().port() == web.port()) {
            InetAddress remote = facts.remote().address();
            // ::ffff:127.x.x.x (a dual-stack socket's view of an IPv4 loopback peer) needs no check of its own:
            // the JDK makes every IPv4-mapped address an Inet4Address, which isLoopbackAddress covers.
            if (remote.isLoopbackAddress() || remote.equals(address)) {
                return Optional.of(allow);
            }
        }
        return next.match(facts);
    }
}
