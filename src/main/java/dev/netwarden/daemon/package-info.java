/**
 * The daemon's frame: the {@link dev.netwarden.daemon.Service} lifecycle ({@link dev.netwarden.daemon.Daemon}),
 * the data-dir lock, the capability check and the log format. The monitor's parts (history, DNS,
 * process events, flows, intercept) are services handed in by the command that builds the daemon.
 *
 * <p>Owns no kernel access and no data: it orders, starts and stops. Configuration is in
 * {@code daemon.config}, the local control API in {@code daemon.control}, the warm socket-owner index
 * for {@code conns} in {@code daemon.owners}.
 */
package dev.netwarden.daemon;
