package dev.netwarden.conns;

import java.util.List;

/**
 * What the user asked {@code conns} for, as parsed from the command line, before any kernel access.
 * Field names follow the ss flags they come from.
 */
public record ConnsRequest(
        boolean tcp,
        boolean udp,
        boolean raw,
        boolean unix,
        boolean listening,
        boolean all,
        boolean numeric,
        boolean processes,
        boolean extended,
        boolean info,
        boolean ipv4Only,
        boolean ipv6Only,
        List<String> processNames,
        List<Integer> pids,
        List<String> users,
        List<String> filter,
        Format format) {

    public enum Format { TABLE, JSON, CSV }

    public ConnsRequest {
        processNames = List.copyOf(processNames);
        pids = List.copyOf(pids);
        users = List.copyOf(users);
        filter = List.copyOf(filter);
    }
}
