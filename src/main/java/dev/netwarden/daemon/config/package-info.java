/**
 * The daemon's configuration: typed section records ({@link dev.netwarden.daemon.config.DaemonConfig}
 * and its parts), the key table with defaults, and the loader that merges defaults, the TOML file and
 * command-line overrides into one validated value with precise error messages.
 *
 * <p>Owns parsing and validation only; it starts nothing and touches no file but the one it reads.
 */
package dev.netwarden.daemon.config;
