/**
 * Output of {@code conns}: {@link dev.netwarden.conns.format.TableFormat} (ss-like, for people),
 * {@link dev.netwarden.conns.format.JsonFormat} (stable schema, for programs) and
 * {@link dev.netwarden.conns.format.CsvFormat} (for spreadsheets). Everything printed that another user
 * could have chosen passes through {@link dev.netwarden.conns.format.TerminalText}. No kernel access.
 */
package dev.netwarden.conns.format;
