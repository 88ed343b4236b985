/**
 * The kernel's view of one socket, as plain records: what {@code linux.sockdiag} produces and what
 * everything above it (conns, monitor, firewall, history) reads. No I/O and no kernel access here.
 */
package dev.netwarden.socket;
