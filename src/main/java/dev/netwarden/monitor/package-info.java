/**
 * The monitor: turns kernel observations into flows with processes and names.
 */
package dev.netwarden.monitor;
