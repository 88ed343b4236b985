/**
 * Socket owners served by the running daemon to {@code netwarden conns}: the warm holder index
 * ({@link dev.netwarden.daemon.owners.WarmSocketIndex}), the {@code socket-owners} op and its client.
 *
 * <p>Owns the freshness contract (verified holders, never stale ones); reads /proc, never changes anything.
 */
package dev.netwarden.daemon.owners;
