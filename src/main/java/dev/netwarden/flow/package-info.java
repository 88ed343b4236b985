/**
 * What the monitor says about connections, as plain records: the events that flow from the
 * trackers (passive sock_diag, intercepting NFQUEUE) to history, alerts and later the firewall and
 * the API. No I/O here; every producer and consumer of connection events speaks these types.
 */
package dev.netwarden.flow;
