package dev.netwarden.daemon;

import java.util.ArrayList;
import java.util.List;

/**
 * The Linux capabilities the daemon needs, checked against the effective set in
 * {@code /proc/self/status} (CapEff) before anything starts, so a missing one is one clear message
 * instead of an EPERM from deep inside a service.
 */
public final class Capabilities {
    /** Name and bit (linux/capability.h) of each capability the daemon needs, and why. */
    public enum Required {
        /** NFQUEUE binding and netfilter rules (intercept level), sock_diag of every socket. */
        CAP_NET_ADMIN(12),
        /** Raw/packet sockets for DNS sniffing. */
        CAP_NET_RAW(13),
        /** Reading other processes' /proc/PID/fd and exe links. */
        CAP_SYS_PTRACE(19),
        /** Reading /proc/PID/fd of processes of other users, and executables for hashing. */
        CAP_DAC_READ_SEARCH(2);

        private final int bit;

        Required(int bit) {
            this.bit = bit;
        }

        public int bit() {
            return bit;
        }
    }

    private Capabilities() {
    }

    /** The effective capability mask from the text of a {@code /proc/PID/status} file. */
    public static long parseEffective(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                String hex = line.substring("CapEff:".length()).strip();
                if (hex.isEmpty() || hex.length() > 16 || !hex.matches("[0-9a-fA-F]+")) {
                    throw new IllegalArgumentException("malformed CapEff line: " + line);
                }
                return Long.parseUnsignedLong(hex, 16);
            }
        }
        throw new IllegalArgumentException("no CapEff line in status");
    }

    /** The required capabilities missing from {@code effective}, in declaration order. */
    public static List<Required> missing(long effective) {
        List<Required> missing = new ArrayList<>();
        for (Required r : Required.values()) {
            if ((effective & (1L << r.bit())) == 0) {
                missing.add(r);
            }
        }
        return missing;
    }
}
