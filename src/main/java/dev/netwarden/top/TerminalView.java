package dev.netwarden.top;

import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The terminal side of the full-screen view (JLine): raw mode on the alternate screen with the cursor
 * hidden, keys read one at a time (escape sequences for arrows and pages decoded), the size followed
 * through SIGWINCH, and each screen drawn with {@link Display}, which sends only what changed since the
 * last one, so a refresh does not flicker. Everything is restored on {@link #close()}.
 */
final class TerminalView implements AutoCloseable {
    /** How long the rest of an escape sequence may take to arrive after its ESC. */
    static final long ESCAPE_MILLIS = 40;

    private final Terminal terminal;
    private final Attributes saved;
    private final Display display;
    private final NonBlockingReader reader;
    private volatile boolean resized;
    private int rows;
    private int columns;

    private TerminalView(Terminal terminal) {
        this.terminal = terminal;
        this.saved = terminal.enterRawMode();
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        this.display = new Display(terminal, true);
        this.reader = terminal.reader();
        terminal.handle(Terminal.Signal.WINCH, s -> resized = true);
        resize();
    }

    /**
     * Opens the process's terminal.
     *
     * @throws IOException when standard input/output is not a terminal (the message says to use --raw or --json)
     */
    static TerminalView open() throws IOException {
        java.io.Console console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new IOException("not a terminal: use --raw or --json for output to a pipe or file");
        }
        Terminal t = TerminalBuilder.builder().system(true).name("netwarden top").build();
        if (Terminal.TYPE_DUMB.equals(t.getType()) || Terminal.TYPE_DUMB_COLOR.equals(t.getType())) {
            t.close();
            throw new IOException("the terminal cannot be driven (TERM is dumb or unset): use --raw or --json");
        }
        return new TerminalView(t);
    }

    /** True once after the terminal changed size; the size is then read again. */
    boolean takeResize() {
        if (!resized) {
            return false;
        }
        resized = false;
        resize();
        return true;
    }

    private void resize() {
        Size s = terminal.getSize();
        rows = Math.max(1, s.getRows());
        columns = Math.max(1, s.getColumns());
        display.clear();
        display.resize(rows, columns);
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
    }

    /**
     * The next key within {@code timeoutMillis}: a character, or TAB ENTER ESC BACKSPACE UP DOWN PGUP
     * PGDN HOME, or EOF; null when none came.
     */
    String readKey(long timeoutMillis) throws IOException {
        int c = reader.read(Math.max(1, timeoutMillis));
        if (c == NonBlockingReader.READ_EXPIRED) {
            return null;
        }
        if (c == NonBlockingReader.EOF) {
            return "EOF";
        }
        return switch (c) {
            case 9 -> "TAB";
            case 10, 13 -> "ENTER";
            case 8, 127 -> "BACKSPACE";
            case 27 -> escape();
            default -> Character.isSurrogate((char) c) ? null : String.valueOf((char) c);
        };
    }

    private String escape() throws IOException {
        int c = reader.read(ESCAPE_MILLIS);
        if (c != '[' && c != 'O') {
            return "ESC";
        }
        StringBuilder seq = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            int n = reader.read(ESCAPE_MILLIS);
            if (n < 0) {
                break;
            }
            seq.append((char) n);
            if (n >= 0x40 && n <= 0x7e) {
                break; // a CSI/SS3 sequence ends with its final byte
            }
        }
        return switch (seq.toString()) {
            case "A" -> "UP";
            case "B" -> "DOWN";
            case "5~" -> "PGUP";
            case "6~" -> "PGDN";
            case "H", "1~" -> "HOME";
            default -> null;
        };
    }

    /** Draws a screen of lines (each exactly {@link #columns()} wide, at most {@link #rows()}). */
    void draw(List<Screen.Line> lines) {
        List<AttributedString> out = new ArrayList<>(lines.size());
        for (Screen.Line l : lines) {
            out.add(new AttributedString(l.text(), style(l.style())));
        }
        display.update(out, -1);
        terminal.flush();
    }

    private static AttributedStyle style(Screen.Style s) {
        return switch (s) {
            case HEADER -> AttributedStyle.DEFAULT.inverse();
            case BANNER -> AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
            case TITLE -> AttributedStyle.BOLD;
            case COLUMNS -> AttributedStyle.DEFAULT.underline();
            case ROW, BOTTOM -> AttributedStyle.DEFAULT;
        };
    }

    @Override
    public void close() {
        try {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.keypad_local);
            terminal.puts(Capability.exit_ca_mode);
            terminal.flush();
            terminal.setAttributes(saved);
            terminal.close();
        } catch (IOException | RuntimeException e) {
            // the terminal went away: nothing left to restore
        }
    }
}
