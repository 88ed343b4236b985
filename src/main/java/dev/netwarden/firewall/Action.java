package dev.netwarden.firewall;

/**
 * What a rule (or the default) does with a new connection. DENY drops it silently (the program waits
 * for its timeout); REJECT refuses it at once (TCP RST, ICMP unreachable) so the program fails fast.
 */
public enum Action {
    ALLOW, DENY, REJECT;

    /** Made once: the firewall asks for it per connection. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
        return label;
    }
}
