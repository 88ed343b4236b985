package dev.netwarden.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each format on small samples written in the shape real lists have. */
class ListParserTest {

    /** Collects what a parser emits as strings. */
    static final class Collected implements ListSink {
        final List<String> domains = new ArrayList<>();
        final List<String> networks = new ArrayList<>();

        @Override
        public void domain(byte[] name, int length) {
            domains.add(new String(name, 0, length, StandardCharsets.US_ASCII));
        }

        @Override
        public void network(IpNetwork network) {
            networks.add(network.toString());
        }
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final String HOSTS = """
            # Title: sample hosts block list
            # Updated: 2026-11-01
            127.0.0.1 localhost
            127.0.0.1 localhost.localdomain
            255.255.255.255 broadcasthost
            ::1 localhost ip6-localhost ip6-loopback
            fe80::1%lo0 localhost
            0.0.0.0 0.0.0.0

            # ad servers
            0.0.0.0 ads.example.com
            0.0.0.0\tTracker.Example.NET.   # inline comment
            127.0.0.1 a.example.org b.example.org c.example.org\r
            0.0.0.0 bad_name!.example.com
            not-an-address example.com
            0.0.0.0
            """;

    @Test
    void hostsFile() {
        Collected c = new Collected();
        ParseReport r = ListParser.parse(text(HOSTS), ListFormat.HOSTS, c);
        assertThat(c.domains).containsExactly("ads.example.com", "tracker.example.net", "a.example.org", "b.example.org", "c.example.org");
        assertThat(r.format()).isEqualTo(ListFormat.HOSTS);
        assertThat(r.detected()).isFalse();
        assertThat(r.lines()).isEqualTo(16);
        assertThat(r.domains()).isEqualTo(5);
        assertThat(r.skipped()).isEqualTo(7); // localhost, localhost.localdomain, broadcasthost, 3 on the ::1 line, 0.0.0.0 as a name
        assertThat(r.skippedExamples()).extracting(LineNote::line).containsExactly(3L, 4L, 5L, 6L, 6L);
        // fe80::1%lo0 (zone), bad_name!, not-an-address, address without name
        assertThat(r.bad()).isEqualTo(4);
        assertThat(r.badExamples()).extracting(LineNote::line).containsExactly(7L, 14L, 15L, 16L);
        assertThat(r.badExamples().get(1).reason()).isEqualTo("character not allowed in a domain name");
        assertThat(r.badExamples().get(3).reason()).isEqualTo("address without a name");
    }

    @Test
    void hostsSkipCountsTheAddressInTheNameColumn() {
        ParseReport r = ListParser.parse(text("0.0.0.0 0.0.0.0\n"), ListFormat.HOSTS, new Collected());
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.skippedExamples().getFirst().reason()).isEqualTo("an address in the name column");
    }

    static final String DOMAINS = """
            # plain domain list
            ads.example.com
            *.tracker.example.net
            .metrics.example.org
            UPPER.Example.COM.
            xn--bcher-kva.example   # punycode is taken as given
            bücher.example
            two fields.example
            10.0.0.1
            a..b
            %s.example
            """.formatted("x".repeat(64));

    @Test
    void domainList() {
        Collected c = new Collected();
        ParseReport r = ListParser.parse(text(DOMAINS), null, c);
        assertThat(r.format()).isEqualTo(ListFormat.DOMAINS);
        assertThat(r.detected()).isTrue();
        assertThat(c.domains).containsExactly("ads.example.com", "tracker.example.net", "metrics.example.org",
                "upper.example.com", "xn--bcher-kva.example");
        assertThat(r.bad()).isEqualTo(5);
        assertThat(r.badExamples()).extracting(LineNote::reason).containsExactly(
                "non-ASCII name (give internationalised names as xn-- punycode)",
                "more than one field (a hosts file? use --format hosts)",
                "an address, not a domain name",
                "empty label in domain name",
                "label longer than 63 characters");
        assertThat(r.badExamples().getFirst().line()).isEqualTo(7);
    }

    static final String ADBLOCK = """
            [Adblock Plus 2.0]
            ! Title: sample filter list
            ! Expires: 4 days
            ||ads.example.com^
            ||tracker.example.net^$third-party
            ||pixel.example.org^|
            ||cdn.example.com^$important,3p
            ||Metrics.Example.IO
            @@||allowed.example.com^
            example.com##.ad-banner
            example.com#@#.sponsored
            example.com#?#div:has(> .ad)
            /banner[0-9]+\\.gif/
            ||example.com/ads/*
            ||ads*.example.com^
            ||media.example.com^$script
            ||site.example.com^$domain=news.example
            ||gone.example.com^$badfilter
            &ad_box=
            ||bad_name!.example^
            """;

    @Test
    void adblockList() {
        Collected c = new Collected();
        ParseReport r = ListParser.parse(text(ADBLOCK), null, c);
        assertThat(r.format()).isEqualTo(ListFormat.ADBLOCK);
        assertThat(c.domains).containsExactly("ads.example.com", "tracker.example.net", "pixel.example.org",
                "cdn.example.com", "metrics.example.io");
        assertThat(r.skipped()).isEqualTo(11);
        assertThat(r.skippedExamples()).extracting(LineNote::reason).containsExactly("exception rule", "cosmetic rule",
                "cosmetic rule", "cosmetic rule", "regular expression rule");
        assertThat(r.bad()).isEqualTo(1);
        assertThat(r.badExamples().getFirst().line()).isEqualTo(20);
    }

    @Test
    void adblockSkipReasonsForNarrowRules() {
        ParseReport r = ListParser.parse(text("||example.com/ads/*\n||ads*.example.com^\n||m.example.com^$script\n&ad_box=\n"),
                ListFormat.ADBLOCK, new Collected());
        assertThat(r.skippedExamples()).extracting(LineNote::reason).containsExactly(
                "rule for part of a site, not a whole domain", "wildcard rule",
                "option $script narrows the rule below the whole domain", "not a ||domain^ rule");
    }

    static final String ADDRESSES = """
            ; Spamhaus-style DROP list sample
            192.0.2.0/24 ; SBL000001
            198.51.100.7
            203.0.113.77/16   # host bits are cleared
            2001:db8::/32
            2001:db8:ffff::1
            ::ffff:192.0.2.200
            010.1.1.1
            300.1.1.1
            10.0.0.0/33
            fe80::1%eth0
            1.2.3.4 5.6.7.8
            """;

    @Test
    void addressList() throws Exception {
        Collected c = new Collected();
        ParseReport r = ListParser.parse(text(ADDRESSES), null, c);
        assertThat(r.format()).isEqualTo(ListFormat.ADDRESSES);
        assertThat(c.networks).containsExactly("192.0.2.0/24", "198.51.100.7", "203.0.0.0/16", "2001:db8::/32",
                "2001:db8:ffff::1", "192.0.2.200");
        assertThat(r.bad()).isEqualTo(5);
        assertThat(r.badExamples()).extracting(LineNote::reason).containsExactly("not an IP address",
                "not an IP address", "prefix length over 32", "not an IP address", "more than one field");

        ParsedList list = ListParser.parse(text(ADDRESSES), ListFormat.ADDRESSES);
        assertThat(list.containsAddress(InetAddress.getByName("192.0.2.1"))).isTrue();
        assertThat(list.containsAddress(InetAddress.getByName("192.0.3.1"))).isFalse();
        assertThat(list.containsAddress(InetAddress.getByName("203.0.255.255"))).isTrue();
        assertThat(list.containsAddress(InetAddress.getByName("2001:db8:1234::5"))).isTrue();
        assertThat(list.containsAddress(InetAddress.getByName("2001:db9::"))).isFalse();
    }

    @Test
    void detectsEachFormatAndForcingOverridesIt() {
        assertThat(ListFormat.detect(text(HOSTS))).isEqualTo(ListFormat.HOSTS);
        assertThat(ListFormat.detect(text(DOMAINS))).isEqualTo(ListFormat.DOMAINS);
        assertThat(ListFormat.detect(text(ADBLOCK))).isEqualTo(ListFormat.ADBLOCK);
        assertThat(ListFormat.detect(text(ADDRESSES))).isEqualTo(ListFormat.ADDRESSES);
        assertThat(ListFormat.detect(new byte[0])).isEqualTo(ListFormat.DOMAINS);
        ParseReport forced = ListParser.parse(text(HOSTS), ListFormat.DOMAINS, new Collected());
        assertThat(forced.format()).isEqualTo(ListFormat.DOMAINS);
        assertThat(forced.domains()).isZero();
        assertThat(ListFormat.fromLabel("AdBlock")).isEqualTo(ListFormat.ADBLOCK);
    }

    @Test
    void byteOrderMarkAndCrlfAreIgnored() {
        Collected c = new Collected();
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = text("ads.example.com\r\nb.example.com\r\n");
        byte[] data = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, data, 0, 3);
        System.arraycopy(body, 0, data, 3, body.length);
        ParseReport r = ListParser.parse(data, null, c);
        assertThat(c.domains).containsExactly("ads.example.com", "b.example.com");
        assertThat(r.bad()).isZero();
    }
}
