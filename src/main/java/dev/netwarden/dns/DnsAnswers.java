package dev.netwarden.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Reads the addresses a DNS response gives for the name its question asked, following the CNAME
 * chain: {@code www.example.com -> edge.cdn.net -> 192.0.2.1} yields one {@link DnsAnswer} whose name
 * is {@code www.example.com}, the name the program used.
 *
 * <p>Only a plain answer counts: a response (QR), standard query, NOERROR, not truncated (a client
 * repeats a truncated query over TCP, which is seen then), exactly one question. Anything else is
 * not an error, just nothing learned: an empty list.
 *
 * <p>Why a guard before dnsjava: a message is hostile input. dnsjava reads each record into objects,
 * refuses compression loops ("bad compression") and stops at the end of input, so its work is
 * already bounded by the message size; the guard refuses, before any object is made, a message
 * whose header counts more records than it could hold (every record takes at least
 * {@value #MIN_RECORD_BYTES} bytes) or more than {@value #MAX_RECORDS} records in all. Address
 * records off the chain are ignored, so an answer cannot name addresses for a name it was not asked.
 * The chain is followed at most {@value #MAX_CHAIN} steps; a loop or a longer chain is malformed.
 */
public final class DnsAnswers {
    /** The most records (answer + authority + additional) a message may declare. */
    public static final int MAX_RECORDS = 1024;
    /** The most CNAME steps followed from the question name. */
    public static final int MAX_CHAIN = 16;
    /** Smallest possible resource record: a root name (1), type, class, TTL, rdlength (10). */
    static final int MIN_RECORD_BYTES = 11;
    /** Smallest possible question: a root name (1), type, class (4). */
    static final int MIN_QUESTION_BYTES = 5;
    static final int HEADER_BYTES = 12;

    private DnsAnswers() {
    }

    /**
     * The addresses {@code message[offset, offset + length)} gives for its question.
     *
     * @return the answers, empty when the message is not a NOERROR answer with addresses
     * @throws MalformedDnsException when the bytes are not a DNS message or exceed the bounds above
     */
    public static List<DnsAnswer> parse(byte[] message, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, message.length);
        if (length < HEADER_BYTES) {
            throw new MalformedDnsException("DNS message of " + length + " bytes is shorter than its header");
        }
        int flags = u16(message, offset + 2);
        boolean response = (flags & 0x8000) != 0;
        int opcode = (flags >>> 11) & 0xF;
        boolean truncated = (flags & 0x0200) != 0;
        int rcode = flags & 0xF;
        int questions = u16(message, offset + 4);
        int answers = u16(message, offset + 6);
        int others = u16(message, offset + 8) + u16(message, offset + 10);
        if (!response || opcode != 0 || truncated || rcode != 0 || questions != 1 || answers == 0) {
            return List.of();
        }
        int records = answers + others;
        if (records > MAX_RECORDS) {
            throw new MalformedDnsException("DNS message declares " + records + " records, more than "
                    + MAX_RECORDS);
        }
        long least = HEADER_BYTES + MIN_QUESTION_BYTES + (long) MIN_RECORD_BYTES * records;
        if (least > length) {
            throw new MalformedDnsException("DNS message declares " + records + " records but has only "
                    + length + " bytes");
        }
        Message parsed;
        try {
            parsed = new Message(ByteBuffer.wrap(message, offset, length));
        } catch (IOException | RuntimeException e) {
            // dnsjava reports bad wire data as WireParseException (an IOException) and, from some
            // record constructors, as runtime exceptions: both mean the same thing here.
            throw new MalformedDnsException("unreadable DNS message: " + e.getMessage(), e);
        }
        Record question = parsed.getQuestion();
        if (question == null) {
            throw new MalformedDnsException("DNS message has no readable question");
        }
        return follow(question.getName(), parsed.getSection(Section.ANSWER));
    }

    private static List<DnsAnswer> follow(Name question, List<Record> section) {
        Map<Name, CNAMERecord> aliases = new HashMap<>();
        for (Record r : section) {
            if (r instanceof CNAMERecord c && r.getDClass() == DClass.IN) {
                aliases.putIfAbsent(c.getName(), c);
            }
        }
        List<String> chain = new ArrayList<>(2);
        chain.add(text(question));
        Set<Name> seen = new HashSet<>();
        seen.add(question);
        Name owner = question;
        long ttl = Long.MAX_VALUE;
        for (CNAMERecord alias = aliases.get(owner); alias != null; alias = aliases.get(owner)) {
            if (chain.size() > MAX_CHAIN) {
                throw new MalformedDnsException("CNAME chain from " + chain.getFirst() + " longer than " + MAX_CHAIN);
            }
            owner = alias.getTarget();
            if (!seen.add(owner)) {
                throw new MalformedDnsException("CNAME loop at " + text(owner));
            }
            ttl = Math.min(ttl, alias.getTTL());
            chain.add(text(owner));
        }
        List<String> names = List.copyOf(chain);
        List<DnsAnswer> out = new ArrayList<>(2);
        for (Record r : section) {
            if (r.getDClass() != DClass.IN || !r.getName().equals(owner)) {
                continue;
            }
            InetAddress address = switch (r) {
                case ARecord a -> a.getAddress();
                case AAAARecord a -> a.getAddress();
                default -> null;
            };
            if (address != null) {
                out.add(new DnsAnswer(names.getFirst(), names.getLast(), address, Math.min(ttl, r.getTTL()), names));
            }
        }
        return out;
    }

    /** Lower case, no trailing dot; dnsjava escapes non-printable bytes. */
    static String text(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
