package dev.netwarden.firewall;

import java.util.Locale;

/**
 * What happens to a new connection no rule decides ({@code firewall.default_action}): allow it, deny
 * (drop) or reject it, or hold it and ask the user ({@link PromptBroker}).
 */
public enum DefaultAction {
    ALLOW, DENY, REJECT, PROMPT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action applied without asking; null for {@link #PROMPT}. */
    public Action action() {
        return switch (this) {
            case ALLOW -> Action.ALLOW;
            case DENY -> Action.DENY;
            case REJECT -> Action.REJECT;
            case PROMPT -> null;
        };
    }
}
