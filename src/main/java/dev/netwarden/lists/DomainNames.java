package dev.netwarden.lists;

/**
 * Normalises domain names taken from list files: ASCII lower case, one trailing dot removed, every
 * label 1–63 characters of {@code a-z 0-9 - _}, at most 253 characters in all.
 *
 * <p>Non-ASCII names are refused, not converted: lists are expected to give internationalised names
 * in their punycode form ({@code xn--…}), which is what programs put in DNS queries, and converting
 * with {@link java.net.IDN} (IDNA 2003) could map a name differently from the resolver that later
 * asks for it. The underscore is accepted because real lists carry names such as
 * {@code _dmarc.example.com} and service labels. Works on bytes so that a million-line list loads
 * without a String per line.
 */
final class DomainNames {
    static final int MAX_LENGTH = 253;
    static final int EMPTY = -1;
    static final int NON_ASCII = -2;
    static final int BAD_CHARACTER = -3;
    static final int EMPTY_LABEL = -4;
    static final int LABEL_TOO_LONG = -5;
    static final int TOO_LONG = -6;
    static final int ADDRESS = -7;

    private DomainNames() {
    }

    /**
     * Writes the normalised form of {@code src[off, off+len)} to {@code out} (at least
     * {@link #MAX_LENGTH} bytes) and returns its length, or a negative error code ({@link #reason}).
     */
    static int normalise(byte[] src, int off, int len, byte[] out) {
        if (len > 0 && src[off + len - 1] == '.') {
            len--;
        }
        if (len == 0) {
            return EMPTY;
        }
        if (len > MAX_LENGTH) {
            return TOO_LONG;
        }
        int labelLength = 0;
        boolean allDigitsAndDots = true;
        for (int i = 0; i < len; i++) {
            int c = src[off + i] & 0xff;
            if (c >= 0x80) {
                return NON_ASCII;
            }
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c == '.') {
                if (labelLength == 0) {
                    return EMPTY_LABEL;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++labelLength > 63) {
                    return LABEL_TOO_LONG;
                }
                if (c < '0' || c > '9') {
                    allDigitsAndDots = false;
                }
            } else {
                return BAD_CHARACTER;
            }
            out[i] = (byte) c;
        }
        if (labelLength == 0) {
            return EMPTY_LABEL;
        }
        if (allDigitsAndDots) {
            return ADDRESS;
        }
        return len;
    }

    /** The normalised form of {@code name}, or null when it is not a valid domain name. */
    static String normalise(String name) {
        byte[] src = new byte[name.length()];
        for (int i = 0; i < src.length; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            src[i] = (byte) c;
        }
        byte[] out = new byte[MAX_LENGTH];
        int n = normalise(src, 0, src.length, out);
        return n < 0 ? null : new String(out, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static String reason(int code) {
        return switch (code) {
            case EMPTY -> "empty name";
            case NON_ASCII -> "non-ASCII name (give internationalised names as xn-- punycode)";
            case BAD_CHARACTER -> "character not allowed in a domain name";
            case EMPTY_LABEL -> "empty label in domain name";
            case LABEL_TOO_LONG -> "label longer than 63 characters";
            case TOO_LONG -> "name longer than 253 characters";
            case ADDRESS -> "an address, not a domain name";
            default -> "bad name";
        };
    }
}
