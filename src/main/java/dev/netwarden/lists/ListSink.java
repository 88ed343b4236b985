package dev.netwarden.lists;

/**
 * Where a parser puts what it took from a list. Domains arrive normalised (see {@link DomainNames})
 * as bytes in a buffer the parser reuses, so a million-line list does not make a million Strings.
 */
interface ListSink {
    /** A normalised domain in {@code name[0, length)}; the buffer is reused after the call returns. */
    void domain(byte[] name, int length);

    void network(IpNetwork network);
}
