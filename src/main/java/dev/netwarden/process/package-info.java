/**
 * Processes and the sockets they hold, as plain records: what {@code linux.proc} produces. No I/O here.
 */
package dev.netwarden.process;
