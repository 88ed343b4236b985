package dev.netwarden.top;

import dev.netwarden.conns.Services;
import dev.netwarden.conns.format.DisplayWidth;
import dev.netwarden.flow.Transport;
import dev.netwarden.live.LiveFlow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.netwarden.top.TopFixtures.T;
import static dev.netwarden.top.TopFixtures.at;
import static dev.netwarden.top.TopFixtures.opened;
import static dev.netwarden.top.TopFixtures.process;
import static org.assertj.core.api.Assertions.assertThat;

class ScreenTest {
    static Rows rows(int connections) {
        Tally tally = new Tally(Duration.ofSeconds(5));
        var curl = process(4242, "curl", "alice");
        var evil = process(666, "ev\u001b]0;owned\u0007il\u001b[2J", "bob\u202e");
        List<LiveFlow> before = new ArrayList<>();
        List<LiveFlow> after = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            var o = opened(i + 1, i % 2 == 0 ? curl : evil, Transport.TCP, "192.0.2." + (1 + i % 200), 443,
                    i % 3 == 0 ? "cdn" + i + ".\u001b[31mexample.org" : null);
            before.add(at(o, T, 0, 0));
            after.add(at(o, T + 1000, 1000L * i, 50L * i));
        }
        tally.update(before, T);
        return Rows.of(tally.update(after, T + 1000), true, Services.parse("https 443/tcp\n"));
    }

    static void assertExactly(List<Screen.Line> lines, int width, int height) {
        assertThat(lines).hasSize(height);
        for (Screen.Line l : lines) {
            assertThat(DisplayWidth.of(l.text())).as("width of [%s]", l.text()).isEqualTo(width);
            assertThat(l.text()).as("no control character reaches the terminal").doesNotContain("\u001b", "\u0007", "\u202e");
        }
    }

    @Test
    void everyPaneFits80By24WithItsEssentialColumns() {
        Rows rows = rows(50);
        ViewState v = new ViewState();
        for (String pane : List.of("1", "2", "3")) {
            v.key(pane);
            List<Screen.Line> lines = Screen.compose(v, rows, "netwarden top 12:00:00  source: daemon", null, 80, 24);
            assertExactly(lines, 80, 24);
            String header = lines.get(2).text();
            switch (v.focus()) {
                case PROCESSES -> assertThat(header).contains("PID", "PROCESS", "USER", "UP/s", "DOWN/s", "SENT", "RECV", "CONNS");
                case CONNECTIONS -> assertThat(header).contains("PROTO", "LOCAL", "REMOTE", "DOMAIN", "PORT", "PROCESS", "UP/s", "DOWN/s");
                case HOSTS -> assertThat(header).contains("HOST", "UP/s", "DOWN/s", "SENT", "RECV", "CONNS", "APPS");
            }
            assertThat(lines.getLast().text()).startsWith("q quit");
        }
    }

    @Test
    void namesWithEscapeSequencesAreShownAsText() {
        Rows rows = rows(6);
        ViewState v = new ViewState();
        String all = String.join("\n", Screen.compose(v, rows, "h", null, 120, 24).stream().map(Screen.Line::text).toList());
        assertThat(all).contains("ev\\x1b]0;owned\\x07il\\x1b[2J", "bob\\u202e");
        v.key("2");
        all = String.join("\n", Screen.compose(v, rows, "h", null, 200, 24).stream().map(Screen.Line::text).toList());
        assertThat(all).contains("cdn0.\\x1b[31mexample.org");
    }

    @Test
    void busiestFirstAndTheChosenColumnIsMarked() {
        Rows rows = rows(20);
        ViewState v = new ViewState();
        v.key("2");
        List<Screen.Line> lines = Screen.compose(v, rows, "h", null, 80, 24);
        assertThat(lines.get(3).text()).as("connection 20 moved the most bytes").contains("192.0.2.20:443");
        v.key("s"); // PROTO, text: A–Z
        assertThat(Screen.compose(v, rows, "h", null, 80, 24).get(2).text()).contains("PROT^");
        v.key("r");
        assertThat(Screen.compose(v, rows, "h", null, 80, 24).get(2).text()).contains("PROTv");
    }

    @Test
    void theFilterKeepsMatchingRowsOfThePane() {
        Rows rows = rows(10);
        ViewState v = new ViewState();
        for (char c : "/curl".toCharArray()) {
            v.key(String.valueOf(c));
        }
        v.key("ENTER");
        List<Screen.Line> lines = Screen.compose(v, rows, "h", null, 80, 24);
        assertThat(lines.get(1).text()).contains("[1 Processes 1]");
        assertThat(lines.get(3).text()).contains("curl");
        assertThat(lines.get(4).text()).isBlank();
    }

    @Test
    void aWideTerminalShowsProcessesAndHostsSideBySideAboveTheConnections() {
        Rows rows = rows(30);
        ViewState v = new ViewState();
        List<Screen.Line> lines = Screen.compose(v, rows, "h", "! firewall asks [3] curl", 170, 40);
        assertExactly(lines, 170, 40);
        assertThat(lines.get(1).style()).isEqualTo(Screen.Style.BANNER);
        assertThat(lines.get(2).text()).contains("[1 Processes", "|", "3 Remote hosts");
        assertThat(lines.get(3).text()).contains("EXECUTABLE", "APPS");
        assertThat(lines.stream().map(Screen.Line::text)).anyMatch(l -> l.contains("2 Connections"));
        assertThat(Screen.wide(159, 40)).isFalse();
        assertThat(Screen.wide(170, 23)).isFalse();
    }

    @Test
    void scrollingStopsAtTheLastRow() {
        Rows rows = rows(40);
        ViewState v = new ViewState();
        v.key("2");
        for (int i = 0; i < 100; i++) {
            v.key("DOWN");
        }
        List<Screen.Line> lines = Screen.compose(v, rows, "h", null, 80, 24);
        assertThat(lines.get(22).text()).as("the last row on the last line").isNotBlank();
        assertThat(v.scroll(Pane.CONNECTIONS)).isEqualTo(40 - 20);
        v.key("HOME");
        assertThat(v.scroll(Pane.CONNECTIONS)).isZero();
    }

    @Test
    void aTinyTerminalGetsWhatFits() {
        assertExactly(Screen.compose(new ViewState(), rows(3), "h", null, 20, 3), 20, 3);
        assertThat(Screen.compose(new ViewState(), rows(3), "h", null, 0, 0)).isEmpty();
    }
}
