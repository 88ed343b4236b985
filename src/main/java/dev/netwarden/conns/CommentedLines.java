package dev.netwarden.conns;

/**
 * Walks the lines of an /etc-style table (/etc/services, /etc/protocols): split at '\n', each line cut
 * at its first '#', without copying. One walker so that both parsers agree on what a line and a
 * comment are.
 */
final class CommentedLines {
    /** Receives {@code text[from, to)}: one line without its comment (possibly empty). */
    interface Sink {
        void line(CharSequence text, int from, int to);
    }

    private CommentedLines() {
    }

    static void forEach(CharSequence text, Sink sink) {
        int len = text.length();
        int lineStart = 0;
        while (lineStart < len) {
            int lineEnd = lineStart;
            int commentAt = -1;
            while (lineEnd < len && text.charAt(lineEnd) != '\n') {
                if (commentAt < 0 && text.charAt(lineEnd) == '#') {
                    commentAt = lineEnd;
                }
                lineEnd++;
            }
            sink.line(text, lineStart, commentAt < 0 ? lineEnd : commentAt);
            lineStart = lineEnd + 1;
        }
    }
}
