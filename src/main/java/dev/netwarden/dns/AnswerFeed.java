package dev.netwarden.dns;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Feeds whole DNS messages (a UDP payload, or one message a {@link TcpDnsStream} put together) to
 * {@link DnsAnswers} and what they teach to a {@link DomainCache}. A malformed message is counted
 * and dropped, never thrown: the sniffer's loop must survive whatever the network sends.
 */
public final class AnswerFeed {
    private final DomainCache cache;
    private final LongAdder messages = new LongAdder();
    private final LongAdder answers = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private volatile String lastMalformed;

    /** Counters since creation. {@code lastMalformed} is the last parse error (escaped ASCII), or null. */
    public record Stats(long messages, long answers, long malformed, String lastMalformed) {
    }

    public AnswerFeed(DomainCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache is null");
    }

    /** Reads the DNS message at {@code message[offset, offset + length)}. */
    public void message(byte[] message, int offset, int length) {
        messages.increment();
        List<DnsAnswer> learnt;
        try {
            learnt = DnsAnswers.parse(message, offset, length);
        } catch (MalformedDnsException e) {
            malformed.increment();
            lastMalformed = e.getMessage();
            return;
        }
        for (DnsAnswer a : learnt) {
            cache.learn(a);
        }
        answers.add(learnt.size());
    }

    public Stats stats() {
        return new Stats(messages.sum(), answers.sum(), malformed.sum(), lastMalformed);
    }
}
