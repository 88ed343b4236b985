package dev.netwarden.top;

import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.top.Rows.ProcessRow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The first line: where the data comes from, the machine-wide rates, and what the keys changed. */
final class HeaderText {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private HeaderText() {
    }

    /**
     * @param source "daemon" or "own scan"
     * @param reason why not the daemon ("no daemon: …"), or ""; last, as the least needed at 80 columns
     */
    static String of(String source, String reason, Rows rows, ViewState v, Duration window, long atMillis) {
        double up = 0;
        double down = 0;
        for (ProcessRow p : rows.processes()) {
            up += p.up();
            down += p.down();
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append("netwarden top ").append(CLOCK.format(Instant.ofEpochMilli(atMillis)));
        sb.append("  source: ").append(source);
        sb.append("  up ").append(Units.rate(up)).append("/s down ").append(Units.rate(down)).append("/s");
        if (v.paused()) {
            sb.append("  PAUSED");
        }
        if (!v.filter().isEmpty()) {
            sb.append("  filter \"").append(TerminalText.sanitize(v.filter())).append('"');
        }
        if (!v.showDns()) {
            sb.append("  dns hidden");
        }
        sb.append("  window ").append(seconds(window));
        if (!reason.isEmpty()) {
            sb.append("  (").append(reason).append(')');
        }
        return sb.toString();
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
