package dev.netwarden.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: any bytes give answers that hold together (a name, a chain within the bound, names
 * printable ASCII) or MalformedDnsException; never another exception, never a hang. Seeds: the
 * recorded dnsmasq answers.
 */
class DnsAnswersFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesOrRefuses(byte[] data) {
        List<DnsAnswer> answers;
        try {
            answers = DnsAnswers.parse(data, 0, data.length);
        } catch (MalformedDnsException expected) {
            return;
        }
        assertThat(answers.size()).isLessThanOrEqualTo(DnsAnswers.MAX_RECORDS);
        for (DnsAnswer a : answers) {
            assertThat(a.chain()).hasSizeBetween(1, DnsAnswers.MAX_CHAIN + 1);
            assertThat(a.chain().getFirst()).isEqualTo(a.name());
            assertThat(a.chain().getLast()).isEqualTo(a.canonical());
            assertThat(a.ttlSeconds()).isBetween(0L, 0xFFFF_FFFFL);
            assertThat(a.name().chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
        }
    }
}
