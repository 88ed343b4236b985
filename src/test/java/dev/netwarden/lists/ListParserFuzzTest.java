package dev.netwarden.lists;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

class ListParserFuzzTest {

    /**
     * Any bytes, in any format or detected: the parser never throws, counts add up, every domain it
     * emits is already normalised and found in the built set, and every network is found in the
     * address set.
     */
    @FuzzTest(maxDuration = "30s")
    void parsesAnything(FuzzedDataProvider in) {
        int choice = in.consumeInt(0, ListFormat.values().length);
        ListFormat format = choice == ListFormat.values().length ? null : ListFormat.values()[choice];
        byte[] data = in.consumeRemainingAsBytes();
        ListParserTest.Collected collected = new ListParserTest.Collected();
        ParseReport report = ListParser.parse(data, format, collected);
        assertThat(report.domains()).isEqualTo(collected.domains.size());
        assertThat(report.networks()).isEqualTo(collected.networks.size());
        assertThat(report.badExamples().size()).isLessThanOrEqualTo(ReportBuilder.EXAMPLES);
        for (LineNote note : report.badExamples()) {
            assertThat(note.line()).isBetween(1L, report.lines());
        }
        ParsedList list = ListParser.parse(data, format);
        for (String d : collected.domains) {
            assertThat(DomainNames.normalise(d)).isEqualTo(d);
            assertThat(list.containsDomain(d)).as(d).isTrue();
            assertThat(list.containsDomain("x." + d)).isTrue();
        }
        for (String n : collected.networks) {
            byte[] first = IpNetwork.parse(n).address();
            try {
                assertThat(list.containsAddress(java.net.InetAddress.getByAddress(first))).as(n).isTrue();
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Lookups of arbitrary names never throw and agree with a suffix walk over the entries. */
    @FuzzTest(maxDuration = "30s")
    void lookupsOfAnyName(FuzzedDataProvider in) {
        String entries = in.consumeString(2000);
        String probe = in.consumeRemainingAsString();
        ListParserTest.Collected collected = new ListParserTest.Collected();
        ListParser.parse(entries.getBytes(StandardCharsets.UTF_8), ListFormat.DOMAINS, collected);
        ParsedList list = ListParser.parse(entries.getBytes(StandardCharsets.UTF_8), ListFormat.DOMAINS);
        String p = probe.endsWith(".") ? probe.substring(0, probe.length() - 1) : probe;
        StringBuilder folded = new StringBuilder();
        p.chars().forEach(c -> folded.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c)));
        String lower = folded.toString();
        boolean expected = false;
        if (!lower.isEmpty()) {
            for (String d : collected.domains) {
                expected |= lower.equals(d) || lower.endsWith("." + d);
            }
        }
        assertThat(list.containsDomain(probe)).as("entries %s probe [%s]", collected.domains, probe.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(expected);
    }
}
