package dev.netwarden.socket;

/** The socket kind, named as {@code ss} names it in its first column. */
public enum Netid {
    TCP("tcp"),
    UDP("udp"),
    RAW("raw"),
    UNIX_STREAM("u_str"),
    UNIX_DGRAM("u_dgr"),
    UNIX_SEQPACKET("u_seq");

    private final String label;

    Netid(String label) {
        this.label = label;
    }

    /** The short name {@code ss} prints, also used in JSON and CSV. */
    public String label() {
        return label;
    }

    public boolean isUnix() {
        return this == UNIX_STREAM || this == UNIX_DGRAM || this == UNIX_SEQPACKET;
    }

    public static Netid fromLabel(String label) {
        for (Netid n : values()) {
            if (n.label.equals(label)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown socket kind: " + label);
    }
}
