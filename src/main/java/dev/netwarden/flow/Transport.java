package dev.netwarden.flow;

/** The transport of a connection. ICMP covers ICMPv6 too; the family tells them apart. */
public enum Transport {
    TCP, UDP, ICMP, RAW;

    /** Lower-case name as shown to users and stored in history ("tcp", "udp", "icmp", "raw"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
