package dev.netwarden.firewall;

import dev.netwarden.flow.Direction;
import dev.netwarden.flow.FlowEvent;
import dev.netwarden.flow.FlowEventSink;
import dev.netwarden.intercept.QueuedPacketAttributor;
import dev.netwarden.intercept.Decision;
import dev.netwarden.intercept.HoldingHandler;
import dev.netwarden.linux.nfqueue.QueuedPacket;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The verdict path: for each queued first packet of a connection, the monitor attributes it (process,
 * domain), the rules decide, and when none does the default action applies — allow, deny, reject,
 * or a prompt that holds the packet ({@link PromptBroker}). Every decision is published as a
 * {@link FlowEvent.Decided} (history shows it per connection).
 *
 * <p>Runs on the intercept loops' threads (one per queue, several at once: state here is counters
 * and thread-safe collaborators only); the rule matcher must not block. A packet that is not the
 * start of a connection this can read (unparsable, a later fragment) is accepted as the monitor
 * always did: there is nothing to match a rule on, and the conntrack NEW rule only queues first
 * packets. A failing matcher throws, and the loop applies its fail policy.
 */
public final class Firewall implements HoldingHandler {
    private final QueuedPacketAttributor attributor;
    private final RuleMatcher rules;
    private final DefaultAction defaultAction;
    private final PromptBroker prompts;
    private final FlowEventSink events;
    private final LongSupplier clock;
    private final IntFunction<String> interfaceNames;
    private final String defaultReason;
    private final LongAdder byRule = new LongAdder();
    private final LongAdder byDefault = new LongAdder();
    private final LongAdder prompted = new LongAdder();
    private final LongAdder promptRefused = new LongAdder();
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    /**
     * @param prompts        required when {@code defaultAction} is PROMPT, else may be null
     * @param interfaceNames interface index to name (null when unknown), for rules on the interface
     */
    public Firewall(QueuedPacketAttributor attributor, RuleMatcher rules, DefaultAction defaultAction, PromptBroker prompts,
                    FlowEventSink events, LongSupplier clockMillis, IntFunction<String> interfaceNames) {
        this.attributor = Objects.requireNonNull(attributor, "attributor is null");
        this.rules = Objects.requireNonNull(rules, "rules is null");
        this.defaultAction = Objects.requireNonNull(defaultAction, "defaultAction is null");
        if (defaultAction == DefaultAction.PROMPT && prompts == null) {
            throw new IllegalArgumentException("default action prompt needs a prompt broker");
        }
        this.prompts = prompts;
        this.events = Objects.requireNonNull(events, "events is null");
        this.clock = Objects.requireNonNull(clockMillis, "clockMillis is null");
        this.interfaceNames = Objects.requireNonNull(interfaceNames, "interfaceNames is null");
        this.defaultReason = "no rule matched: default action " + defaultAction.label();
    }

    @Override
    public Decision decide(QueuedPacket packet) throws Exception {
        FlowEvent.Opened opened = attributor.attribute(packet);
        if (opened == null) {
            return Decision.ACCEPT;
        }
        ConnectionFacts facts = facts(opened, packet);
        Optional<RuleMatch> match = rules.match(facts);
        if (match.isPresent()) {
            RuleMatch m = match.get();
            byRule.increment();
            return decided(opened, m.action(), m.ruleId(), m.explanation());
        }
        if (defaultAction == DefaultAction.PROMPT) {
            if (prompts.hold(facts, opened.flowId(), packet.queueNumber(), packet.packetId())) {
                prompted.increment();
                return Decision.HOLD;
            }
            promptRefused.increment();
            return decided(opened, Action.DENY, null, "too many prompts pending: dropped until answered");
        }
        byDefault.increment();
        return decided(opened, defaultAction.action(), null, defaultReason);
    }

    private Decision decided(FlowEvent.Opened opened, Action action, String ruleId, String reason) {
        events.publish(new FlowEvent.Decided(opened.flowId(), clock.getAsLong(), action.label(), ruleId, reason));
        return switch (action) {
            case ALLOW -> {
                allowed.increment();
                yield Decision.ACCEPT;
            }
            case DENY -> {
                denied.increment();
                yield Decision.DROP;
            }
            case REJECT -> {
                rejected.increment();
                yield Decision.REJECT;
            }
        };
    }

    /** What the rules see of a connection: the flow's addresses, domain and process, and the packet's interface. */
    static ConnectionFacts facts(FlowEvent.Opened o, QueuedPacket packet, IntFunction<String> interfaceNames) {
        int ifindex = o.direction() == Direction.INBOUND ? packet.inIfindex() : packet.outIfindex();
        String iface = ifindex > 0 ? interfaceNames.apply(ifindex) : null;
        return new ConnectionFacts(o.transport(), o.family(), o.direction(), o.local(), o.remote(), o.domain(), iface,
                packet.uid(), o.attribution().process());
    }

    private ConnectionFacts facts(FlowEvent.Opened o, QueuedPacket packet) {
        return facts(o, packet, interfaceNames);
    }

    public DefaultAction defaultAction() {
        return defaultAction;
    }

    /** Counters for status. */
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("default_action", defaultAction.label());
        m.put("decided_by_rule", byRule.sum());
        m.put("decided_by_default", byDefault.sum());
        m.put("prompted_packets", prompted.sum());
        m.put("prompt_refused_packets", promptRefused.sum());
        m.put("allowed", allowed.sum());
        m.put("denied", denied.sum());
        m.put("rejected", rejected.sum());
        m.put("unparsable", attributor.unparsable());
        if (prompts != null) {
            m.put("prompts", prompts.stats());
        }
        return m;
    }
}
