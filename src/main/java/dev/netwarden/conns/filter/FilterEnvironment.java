package dev.netwarden.conns.filter;

import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.ToIntFunction;

import dev.netwarden.conns.Services;

/**
 * What the filter needs from the outside world, handed in as plain functions so that parsing and
 * matching stay pure: service names for {@code :ssh}, interface names for {@code dev = eth0}, and the
 * path of a UNIX socket's peer for {@code dst /run/*} (sock_diag gives only the peer's inode).
 *
 * @param services         name → port for {@code :name} ports
 * @param interfaceIndex   interface name → index, or a value ≤ 0 when there is no such interface
 * @param unixPathByInode  UNIX socket inode → its bound path, or null when unknown or unnamed
 */
public record FilterEnvironment(
        Services services,
        ToIntFunction<String> interfaceIndex,
        LongFunction<String> unixPathByInode) {

    public FilterEnvironment {
        Objects.requireNonNull(services, "services is null");
        Objects.requireNonNull(interfaceIndex, "interfaceIndex is null");
        Objects.requireNonNull(unixPathByInode, "unixPathByInode is null");
    }

    /** Services only: interface names are unknown (indexes still work), UNIX peers have no path. */
    public static FilterEnvironment of(Services services) {
        return new FilterEnvironment(services, name -> 0, inode -> null);
    }
}
