/**
 * The daemon's local control API: a root-only Unix stream socket speaking one JSON object per line
 * ({@link dev.netwarden.daemon.control.ControlServer}), the registry of ops other parts add theirs to
 * ({@link dev.netwarden.daemon.control.ControlHandlers}), and the CLI side
 * ({@link dev.netwarden.daemon.control.ControlClient}).
 *
 * <p>Owns transport, framing, bounds and timeouts; what an op does belongs to whoever registers it.
 */
package dev.netwarden.daemon.control;
