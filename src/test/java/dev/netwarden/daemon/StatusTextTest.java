package dev.netwarden.daemon;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTextTest {
    @Test
    void headerThenEachPartsCountersAlignedWithNestedNamesDotted() {
        JsonNode status = JsonMapper.shared().readTree("""
                {"ok":true,"pid":4242,"version":"0.1.0","level":"intercept","uptime_ms":7384000,
                 "data_dir":"/var/lib/netwarden","net_ns":"net:[4026531840]",
                 "services":{"dns":{"learned":12,"sniffer":{"kernel_drops":0,"packets":99}},
                             "socket-index":{"fd_source":"bpf","last_answer_us":null}}}
                """);
        List<String> lines = StatusText.lines(status);
        assertThat(lines).containsExactly(
                "netwarden daemon 0.1.0, pid 4242, intercept level, up 2h03m",
                "  data dir:  /var/lib/netwarden",
                "  net ns:    net:[4026531840]",
                "",
                "dns",
                "  learned               12",
                "  sniffer.kernel_drops  0",
                "  sniffer.packets       99",
                "",
                "socket-index",
                "  fd_source       bpf",
                "  last_answer_us  -");
    }

    @Test
    void terminalControlCharactersInStringsAreNeutralized() {
        JsonNode status = JsonMapper.shared().readTree("""
                {"ok":true,"pid":1,"version":"x","level":"passive","uptime_ms":0,"data_dir":"/tmp/\\u001b[2Jevil",
                 "net_ns":"n","services":{"socket-index":{"fd_source":"/proc (\\u001b]0;title\\u0007)"}}}
                """);
        String all = String.join("\n", StatusText.lines(status));
        assertThat(all).doesNotContain("\u001b", "\u0007");
    }

    @Test
    void durations() {
        assertThat(StatusText.duration(0)).isEqualTo("0s");
        assertThat(StatusText.duration(59_999)).isEqualTo("59s");
        assertThat(StatusText.duration(65_000)).isEqualTo("1m05s");
        assertThat(StatusText.duration(3_600_000)).isEqualTo("1h00m");
        assertThat(StatusText.duration(2 * 86_400_000L + 4 * 3_600_000L)).isEqualTo("2d04h");
    }
}
