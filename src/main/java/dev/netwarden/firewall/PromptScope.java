package dev.netwarden.firewall;

import java.util.Locale;

/**
 * How wide the rule a prompt answer creates is: {@link #EXE} every connection of this executable;
 * {@link #DESTINATION} this executable to this host (the domain when one is known, else the address),
 * port and protocol; {@link #CMDLINE} this executable started with exactly this command line.
 */
public enum PromptScope {
    EXE, DESTINATION, CMDLINE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label ({@code exe}, {@code destination}, {@code cmdline}). */
    public static PromptScope parse(String text) {
        for (PromptScope s : values()) {
            if (s.label().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scope must be exe, destination or cmdline, not \"" + text + "\"");
    }
}
