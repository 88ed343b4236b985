/**
 * The {@code ss} filter language: state clauses become a {@link dev.netwarden.conns.filter.StateSelection}
 * (a kernel state mask) and the expression a {@link dev.netwarden.conns.filter.FilterExpression} over
 * {@link dev.netwarden.socket.SocketEntry}. Pure: everything from outside (service names, interface
 * names, UNIX peer paths) comes in through {@link dev.netwarden.conns.filter.FilterEnvironment}.
 */
package dev.netwarden.conns.filter;
