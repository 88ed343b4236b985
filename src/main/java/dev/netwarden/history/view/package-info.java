/**
 * What {@code netwarden history} prints: each view's rows as a {@link dev.netwarden.history.view.ResultTable}
 * (named, typed columns), and that table as an aligned terminal table, JSON ({@code netwarden.history/1},
 * docs/history-json.md) or CSV. Reads nothing itself: the rows come from
 * {@link dev.netwarden.history.HistoryReader}. Every text field that reaches a terminal passes through
 * {@link dev.netwarden.conns.format.TerminalText}.
 */
package dev.netwarden.history.view;
