package dev.netwarden.conns.filter;

/**
 * A filter the user typed does not parse. The message names the offending token and its 1-based
 * position among the filter's tokens (after splitting on blanks and around parentheses), so the CLI can
 * print it as is.
 */
public final class FilterSyntaxException extends IllegalArgumentException {

    private final int position;
    private final String token;

    public FilterSyntaxException(String message, int position, String token) {
        super(message);
        this.position = position;
        this.token = token;
    }

    /** The 1-based index of the offending token; one past the last token when the filter ended early. */
    public int position() {
        return position;
    }

    /** The offending token, or null when the filter ended early. */
    public String token() {
        return token;
    }
}
