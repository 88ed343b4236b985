package dev.netwarden.top;

import dev.netwarden.firewall.Action;
import dev.netwarden.prompt.AnswerLine;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the user chose with the keys: the focused pane, each pane's sort column and direction and
 * scroll position, the filter, pause, DNS shown or hidden, and a line being typed (a filter, or the
 * scope and duration of an answer to a firewall prompt). Pure and single-threaded: a key in, an effect
 * out, so every key is tested without a terminal.
 *
 * <p>Keys are single characters, or the names {@code TAB ENTER ESC BACKSPACE UP DOWN PGUP PGDN HOME}.
 */
final class ViewState {
    enum Mode { NORMAL, FILTER, ANSWER }

    enum Effect { NONE, REDRAW, QUIT, ANSWER }

    static final String HELP = "q quit  Tab/1-3 pane  s/</> sort  r reverse  / filter  space pause  d dns  ↑↓";

    private Pane focus = Pane.PROCESSES;
    private final Map<Pane, Integer> sort = new EnumMap<>(Pane.class);
    private final Map<Pane, Boolean> reversed = new EnumMap<>(Pane.class);
    private final Map<Pane, Integer> scroll = new EnumMap<>(Pane.class);
    private String filter = "";
    private String filterBefore = "";
    private boolean paused;
    private boolean showDns = true;
    private Mode mode = Mode.NORMAL;
    private final StringBuilder input = new StringBuilder();
    private Action answerAction;
    private long promptId = -1;
    private long answeringId = -1;
    private AnswerLine.Answer answer;
    private String message = "";

    ViewState() {
        for (Pane p : Pane.values()) {
            sort.put(p, -1);
            reversed.put(p, false);
            scroll.put(p, 0);
        }
    }

    Effect key(String k) {
        return switch (mode) {
            case NORMAL -> normal(k);
            case FILTER -> filtering(k);
            case ANSWER -> answering(k);
        };
    }

    private Effect normal(String k) {
        message = "";
        switch (k) {
            case "q", "Q", "\u0003" -> {
                return Effect.QUIT;
            }
            case "TAB" -> focus = focus.next();
            case "1" -> focus = Pane.PROCESSES;
            case "2" -> focus = Pane.CONNECTIONS;
            case "3" -> focus = Pane.HOSTS;
            case "s", ">" -> moveSort(1);
            case "<" -> moveSort(-1);
            case "r" -> reversed.put(focus, !reversed.get(focus));
            case "/" -> {
                mode = Mode.FILTER;
                filterBefore = filter;
                input.setLength(0);
                input.append(filter);
            }
            case " " -> paused = !paused;
            case "d" -> showDns = !showDns;
            case "a", "x" -> {
                if (promptId < 0) {
                    message = "no firewall question is waiting";
                } else {
                    mode = Mode.ANSWER;
                    answerAction = k.equals("a") ? Action.ALLOW : Action.DENY;
                    answeringId = promptId;
                    input.setLength(0);
                }
            }
            case "UP", "k" -> scroll.put(focus, Math.max(0, scroll.get(focus) - 1));
            case "DOWN", "j" -> scroll.put(focus, scroll.get(focus) + 1);
            case "PGUP" -> scroll.put(focus, Math.max(0, scroll.get(focus) - 10));
            case "PGDN" -> scroll.put(focus, scroll.get(focus) + 10);
            case "HOME", "g" -> scroll.put(focus, 0);
            case "ESC" -> {
                if (!filter.isEmpty()) {
                    filter = "";
                } else {
                    return Effect.NONE;
                }
            }
            default -> {
                return Effect.NONE;
            }
        }
        return Effect.REDRAW;
    }

    private void moveSort(int step) {
        int n = focus.columnCount();
        // -1 (the default order) and each column in turn: n + 1 positions.
        int next = Math.floorMod(sort.get(focus) + 1 + step, n + 1) - 1;
        sort.put(focus, next);
        reversed.put(focus, false);
        scroll.put(focus, 0);
    }

    private Effect filtering(String k) {
        switch (k) {
            case "ENTER" -> mode = Mode.NORMAL;
            case "ESC" -> {
                filter = filterBefore;
                mode = Mode.NORMAL;
            }
            case "BACKSPACE" -> {
                if (!input.isEmpty()) {
                    input.setLength(input.length() - 1);
                }
                filter = input.toString();
            }
            default -> {
                if (!typeable(k)) {
                    return Effect.NONE;
                }
                input.append(k);
                filter = input.toString();
            }
        }
        for (Pane p : Pane.values()) {
            scroll.put(p, 0);
        }
        return Effect.REDRAW;
    }

    private Effect answering(String k) {
        switch (k) {
            case "ENTER" -> {
                mode = Mode.NORMAL;
                AnswerLine parsed = AnswerLine.parse(answerAction.label() + " " + input);
                if (parsed instanceof AnswerLine.Answer a) {
                    answer = a;
                    return Effect.ANSWER;
                }
                message = parsed instanceof AnswerLine.Invalid bad ? bad.message() : "not answered";
            }
            case "ESC" -> {
                mode = Mode.NORMAL;
                message = "not answered";
            }
            case "BACKSPACE" -> {
                if (!input.isEmpty()) {
                    input.setLength(input.length() - 1);
                }
            }
            default -> {
                if (!typeable(k)) {
                    return Effect.NONE;
                }
                input.append(k);
            }
        }
        return Effect.REDRAW;
    }

    private static boolean typeable(String k) {
        return k.length() == 1 && k.charAt(0) >= 0x20 && k.charAt(0) != 0x7f;
    }

    /** The answer typed for prompt {@link #answeringId()}; taken once. */
    AnswerLine.Answer takeAnswer() {
        AnswerLine.Answer a = answer;
        answer = null;
        return a;
    }

    /** The firewall prompt the banner shows (-1: none); {@code a}/{@code x} answer it. */
    void showPrompt(long id) {
        promptId = id;
    }

    long answeringId() {
        return answeringId;
    }

    void say(String text) {
        message = text == null ? "" : text;
    }

    /** The bottom line: what is being typed, else the last message, else the keys. */
    String bottomLine() {
        return switch (mode) {
            case FILTER -> "filter: " + input + "_   (Enter keep, Esc cancel)";
            case ANSWER -> answerAction.label() + " [" + answeringId + "] scope (dest|exe|cmdline) and duration (once|15m|until-exit|until-restart|always): "
                    + input + "_   (Enter send, Esc cancel)";
            case NORMAL -> !message.isEmpty() ? message : HELP;
        };
    }

    Pane focus() {
        return focus;
    }

    int sort(Pane p) {
        return sort.get(p);
    }

    boolean reversed(Pane p) {
        return reversed.get(p);
    }

    int scroll(Pane p) {
        return scroll.get(p);
    }

    /** Keeps a pane's scroll within its rows (the list shrank). */
    void clampScroll(Pane p, int max) {
        scroll.put(p, Math.max(0, Math.min(scroll.get(p), max)));
    }

    String filter() {
        return filter;
    }

    boolean paused() {
        return paused;
    }

    boolean showDns() {
        return showDns;
    }

    Mode mode() {
        return mode;
    }
}
