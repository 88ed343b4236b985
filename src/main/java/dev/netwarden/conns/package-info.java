/**
 * {@code netwarden conns}: a socket listing joined with the processes that hold each socket, filtered
 * with the {@code ss} filter language and printed as a table, JSON or CSV. Reads the kernel only
 * through {@code linux.sockdiag} and {@code linux.proc}.
 */
package dev.netwarden.conns;
