package dev.netwarden.daemon;

import dev.netwarden.daemon.config.DnsSection;
import dev.netwarden.dns.AnswerFeed;
import dev.netwarden.dns.DnsAnswers;
import dev.netwarden.dns.DnsSniffer;
import dev.netwarden.dns.DomainCache;
import dev.netwarden.dns.HostsFileWatcher;
import dev.netwarden.flow.DomainLookup;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * Names for remote addresses: the DNS answers this namespace receives (an AF_PACKET sniffer, read
 * only) in a bounded cache, with /etc/hosts behind it. With {@code dns.sniff = false} only the hosts
 * file (and, at the intercept level with {@code queue_dns}, queued answers) feed it.
 */
final class DnsService implements Service {
    private final DnsSection config;
    private final DomainCache cache;
    private final AnswerFeed queuedAnswers;
    private DnsSniffer sniffer;

    DnsService(DnsSection config) {
        this.config = Objects.requireNonNull(config, "config is null");
        DomainLookup hosts = config.hostsFile() == null ? DomainLookup.NONE : new HostsFileWatcher(config.hostsFile());
        this.cache = new DomainCache(config.cacheSize(), config.ttlGrace(), hosts);
        this.queuedAnswers = new AnswerFeed(cache);
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public void start() throws Exception {
        warmUp();
        if (config.sniff()) {
            sniffer = DnsSniffer.open(cache);
            sniffer.start();
        }
    }

    /**
     * Parses one made-up answer so dnsjava's classes are loaded now: the first real answer otherwise
     * takes tens of milliseconds, long enough for a short connection to that address to be recorded
     * before its name is known.
     */
    static void warmUp() throws IOException {
        Name name = Name.fromConstantString("warm-up.netwarden.invalid.");
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(Record.newRecord(name, Type.A, DClass.IN), Section.QUESTION);
        m.addRecord(new ARecord(name, DClass.IN, 60, InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})), Section.ANSWER);
        byte[] wire = m.toWire();
        if (DnsAnswers.parse(wire, 0, wire.length).size() != 1) {
            throw new IllegalStateException("the DNS parser does not read a plain A answer");
        }
    }

    DomainCache cache() {
        return cache;
    }

    /** Where DNS answers held by the intercept queue are fed, so names are known before the answer is delivered. */
    AnswerFeed queuedAnswers() {
        return queuedAnswers;
    }

    @Override
    public void close() {
        if (sniffer != null) {
            sniffer.close();
        }
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = StatsMap.of(cache.stats());
        m.put("capacity", cache.capacity());
        if (sniffer != null) {
            m.put("sniffer", StatsMap.of(sniffer.stats()));
            String failure = sniffer.failure();
            if (failure != null) {
                m.put("sniffer_failure", failure);
            }
        }
        m.put("queued_answers", StatsMap.of(queuedAnswers.stats()));
        return m;
    }
}
