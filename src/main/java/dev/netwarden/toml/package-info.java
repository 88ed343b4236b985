/**
 * TOML as netwarden writes it (the daemon's configuration, rule files). Reading TOML is Jackson's
 * TOML module's job; nothing here parses.
 */
package dev.netwarden.toml;
