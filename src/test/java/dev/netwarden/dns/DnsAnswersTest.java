package dev.netwarden.dns;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Answers recorded from dnsmasq (record_fixtures.sh in the test resources). */
class DnsAnswersTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = DnsAnswersTest.class.getResourceAsStream(name + ".bin")) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    static List<DnsAnswer> parse(byte[] b) {
        return DnsAnswers.parse(b, 0, b.length);
    }

    static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void plainA() throws IOException {
        assertThat(parse(fixture("a_testsite"))).containsExactly(
                new DnsAnswer("testsite.test", "testsite.test", ip("10.53.0.10"), 300, List.of("testsite.test")));
    }

    @Test
    void plainAaaaOverIpv6() throws IOException {
        assertThat(parse(fixture("aaaa_testsite_v6"))).containsExactly(
                new DnsAnswer("testsite.test", "testsite.test", ip("fd53::10"), 300, List.of("testsite.test")));
    }

    @Test
    void cnameChainGivesTheNameAsked() throws IOException {
        assertThat(parse(fixture("cname_www_a"))).containsExactly(new DnsAnswer("www.testsite.test", "edge.cdn.test",
                ip("10.53.0.20"), 300, List.of("www.testsite.test", "edge.cdn.test")));
        assertThat(parse(fixture("cname_www_aaaa"))).containsExactly(new DnsAnswer("www.testsite.test",
                "edge.cdn.test", ip("fd53::20"), 300, List.of("www.testsite.test", "edge.cdn.test")));
    }

    @Test
    void longChainIsFollowedToTheEnd() throws IOException {
        assertThat(parse(fixture("chain_long"))).containsExactly(new DnsAnswer("c1.chain.test", "final.chain.test",
                ip("10.53.0.30"), 300,
                List.of("c1.chain.test", "c2.chain.test", "c3.chain.test", "c4.chain.test", "final.chain.test")));
    }

    @Test
    void everyAddressOfAName() throws IOException {
        assertThat(parse(fixture("multi_a"))).extracting(DnsAnswer::address)
                .containsExactly(ip("10.53.0.41"), ip("10.53.0.42"));
    }

    @Test
    void namesAreLowerCase() throws IOException {
        assertThat(parse(fixture("mixed_case"))).singleElement()
                .satisfies(a -> assertThat(a.name()).isEqualTo("www.testsite.test"));
    }

    @Test
    void tcpMessageIsTheSameFormat() throws IOException {
        assertThat(parse(fixture("tcp_testsite"))).extracting(DnsAnswer::address).containsExactly(ip("10.53.0.10"));
    }

    @Test
    void nxdomainTeachesNothing() throws IOException {
        assertThat(parse(fixture("nxdomain"))).isEmpty();
    }

    @Test
    void aQueryTeachesNothing() throws IOException {
        byte[] b = fixture("a_testsite");
        b[2] &= 0x7F; // QR = 0
        assertThat(parse(b)).isEmpty();
    }

    @Test
    void aTruncatedResponseTeachesNothing() throws IOException {
        byte[] b = fixture("a_testsite");
        b[2] |= 0x02; // TC
        assertThat(parse(b)).isEmpty();
    }

    @Test
    void aResponseWithTwoQuestionsTeachesNothing() throws IOException {
        byte[] b = fixture("a_testsite");
        b[5] = 2;
        assertThat(parse(b)).isEmpty();
    }

    @Test
    void parsesWithinALargerBuffer() throws IOException {
        byte[] m = fixture("cname_www_a");
        byte[] framed = new byte[m.length + 9];
        System.arraycopy(m, 0, framed, 7, m.length);
        assertThat(DnsAnswers.parse(framed, 7, m.length)).extracting(DnsAnswer::name)
                .containsExactly("www.testsite.test");
    }

    // --- hostile inputs: named regression cases ------------------------------------------------------

    private static byte[] header(int flags, int qd, int an, int ns, int ar, int bodyBytes) {
        byte[] b = new byte[12 + bodyBytes];
        b[2] = (byte) (flags >>> 8);
        b[3] = (byte) flags;
        b[4] = (byte) (qd >>> 8);
        b[5] = (byte) qd;
        b[6] = (byte) (an >>> 8);
        b[7] = (byte) an;
        b[8] = (byte) (ns >>> 8);
        b[9] = (byte) ns;
        b[10] = (byte) (ar >>> 8);
        b[11] = (byte) ar;
        return b;
    }

    @Test
    void compressionPointerLoopIsMalformed() {
        // question name is a pointer to itself (offset 12), then an answer whose name points to it too
        byte[] b = header(0x8180, 1, 1, 0, 0, 6 + 14);
        b[12] = (byte) 0xC0;
        b[13] = 12;
        b[15] = 1;
        b[17] = 1;
        b[18] = (byte) 0xC0;
        b[19] = 12;
        assertThatThrownBy(() -> parse(b)).isInstanceOf(MalformedDnsException.class)
                .hasMessageContaining("compression");
    }

    @Test
    void twoPointerLoopIsMalformed() {
        byte[] b = header(0x8180, 1, 1, 0, 0, 8 + 14);
        b[12] = (byte) 0xC0;
        b[13] = 14;
        b[14] = (byte) 0xC0;
        b[15] = 12;
        assertThatThrownBy(() -> parse(b)).isInstanceOf(MalformedDnsException.class);
    }

    @Test
    void truncatedAnswerIsMalformedAtEveryCut() throws IOException {
        byte[] whole = fixture("cname_www_a");
        for (int cut = 0; cut < whole.length; cut++) {
            int length = cut;
            try {
                List<DnsAnswer> answers = DnsAnswers.parse(whole, 0, length);
                // a cut may only ever lose answers, never invent one
                assertThat(answers).as("cut at %d", cut).isEmpty();
            } catch (MalformedDnsException expected) {
                // the documented outcome
            }
        }
    }

    @Test
    void huge65535CountsWithA12ByteBodyAreRefusedBeforeParsing() {
        byte[] b = header(0x8180, 1, 65535, 65535, 65535, 0);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(MalformedDnsException.class)
                .hasMessageContaining("more than " + DnsAnswers.MAX_RECORDS);
        byte[] fewer = header(0x8180, 1, 1000, 0, 0, 0);
        assertThatThrownBy(() -> parse(fewer)).hasMessageContaining("has only 12 bytes");
        byte[] questions = header(0x8180, 65535, 1, 0, 0, 0);
        assertThat(parse(questions)).isEmpty();
    }

    private static byte[] answer(String question, Record... answers) throws IOException {
        Message m = new Message(7);
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(Record.newRecord(Name.fromString(question), Type.A, DClass.IN), Section.QUESTION);
        for (Record r : answers) {
            m.addRecord(r, Section.ANSWER);
        }
        return m.toWire();
    }

    private static CNAMERecord alias(String from, String to, long ttl) throws IOException {
        return new CNAMERecord(Name.fromString(from), DClass.IN, ttl, Name.fromString(to));
    }

    private static ARecord a(String owner, String address, long ttl) throws IOException {
        return new ARecord(Name.fromString(owner), DClass.IN, ttl, ip(address));
    }

    @Test
    void cnameLoopIsMalformed() throws IOException {
        byte[] b = answer("a.loop.test.", alias("a.loop.test.", "b.loop.test.", 60),
                alias("b.loop.test.", "a.loop.test.", 60), a("a.loop.test.", "192.0.2.1", 60));
        assertThatThrownBy(() -> parse(b)).isInstanceOf(MalformedDnsException.class).hasMessageContaining("loop");
    }

    @Test
    void veryLongChainIsMalformed() throws IOException {
        Record[] records = new Record[DnsAnswers.MAX_CHAIN + 2];
        for (int i = 0; i <= DnsAnswers.MAX_CHAIN; i++) {
            records[i] = alias("c" + i + ".long.test.", "c" + (i + 1) + ".long.test.", 60);
        }
        records[DnsAnswers.MAX_CHAIN + 1] = a("c" + (DnsAnswers.MAX_CHAIN + 1) + ".long.test.", "192.0.2.1", 60);
        byte[] b = answer("c0.long.test.", records);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(MalformedDnsException.class).hasMessageContaining("longer");
    }

    @Test
    void chainAtTheBoundIsFollowed() throws IOException {
        Record[] records = new Record[DnsAnswers.MAX_CHAIN + 1];
        for (int i = 0; i < DnsAnswers.MAX_CHAIN; i++) {
            records[i] = alias("c" + i + ".long.test.", "c" + (i + 1) + ".long.test.", 600 - i);
        }
        records[DnsAnswers.MAX_CHAIN] = a("c" + DnsAnswers.MAX_CHAIN + ".long.test.", "192.0.2.1", 900);
        assertThat(parse(answer("c0.long.test.", records))).singleElement().satisfies(ans -> {
            assertThat(ans.chain()).hasSize(DnsAnswers.MAX_CHAIN + 1);
            assertThat(ans.ttlSeconds()).isEqualTo(600 - DnsAnswers.MAX_CHAIN + 1);
        });
    }

    @Test
    void addressesOffTheChainAreIgnored() throws IOException {
        byte[] b = answer("asked.test.", a("other.test.", "192.0.2.66", 60), a("asked.test.", "192.0.2.1", 60));
        assertThat(parse(b)).extracting(DnsAnswer::address).containsExactly(ip("192.0.2.1"));
    }

    @Test
    void ttlIsTheSmallestAlongTheChain() throws IOException {
        byte[] b = answer("asked.test.", alias("asked.test.", "edge.test.", 30), a("edge.test.", "192.0.2.1", 3600));
        assertThat(parse(b)).singleElement().satisfies(ans -> assertThat(ans.ttlSeconds()).isEqualTo(30));
    }

    @Test
    void nonPrintableLabelsComeOutEscaped() throws IOException {
        byte[] b = answer("\\027[31mevil.test.", a("\\027[31mevil.test.", "192.0.2.1", 60));
        assertThat(parse(b)).singleElement().satisfies(ans -> {
            assertThat(ans.name()).isEqualTo("\\027[31mevil.test");
            assertThat(ans.name().chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
        });
    }

    @Test
    void shortMessageIsMalformed() {
        assertThatThrownBy(() -> DnsAnswers.parse(new byte[11], 0, 11)).isInstanceOf(MalformedDnsException.class);
    }
}
