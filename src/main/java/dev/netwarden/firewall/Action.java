package dev.netwarden.firewall;

/**
 * What a rule (or the default) does with a new connection. DENY drops it silently (the program waits
 * for its timeout); REJECT refuses it at once (TCP RST, ICMP unreachable) so the program fails fast.
 */
public enum Action {
    ALLOW, DENY, REJECT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
