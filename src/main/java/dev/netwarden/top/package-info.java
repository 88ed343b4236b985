/**
 * {@code netwarden top}: the live terminal view of who uses the network. Three panes (processes,
 * connections, remote hosts) with rates averaged over a window and totals since start, sorted,
 * filtered and paused from the keyboard, drawn full-screen with JLine; or printed each interval as text
 * lines ({@code --raw}) or JSON ({@code --json}).
 *
 * <p>Owns the view only: the flows come from {@code dev.netwarden.live} (the daemon's {@code flows} op,
 * or the own scan), firewall questions from the daemon's prompt ops. It changes nothing in the kernel or
 * in the daemon except by answering a question the user answered. Every name shown comes through
 * {@code TerminalText}; the JSON output carries names faithfully, JSON-escaped.
 */
package dev.netwarden.top;
