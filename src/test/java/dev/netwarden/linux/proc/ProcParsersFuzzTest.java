package dev.netwarden.linux.proc;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every parser either returns a value or throws {@link MalformedProcFileException}; never another
 * exception or a hang. Where a simple oracle exists, the value is also checked against it.
 * Seeds: {@code ProcParsersFuzzTestInputs/<method>/} (recorded /proc files).
 */
class ProcParsersFuzzTest {
    private static final Pattern SOCKET = Pattern.compile("socket:\\[([0-9]{1,19})]");

    @FuzzTest(maxDuration = "20s")
    void stat(byte[] input) {
        try {
            ProcStat stat = ProcStatParser.parse(input);
            String text = new String(input, StandardCharsets.UTF_8);
            // comm is what lies between the first '(' and the last ')'
            assertThat(stat.comm()).isEqualTo(new String(input, StandardCharsets.UTF_8)
                    .substring(text.indexOf('(') + 1, text.lastIndexOf(')')));
            assertThat(stat.ppid()).isGreaterThanOrEqualTo(0);
            assertThat(stat.startTicks()).isGreaterThanOrEqualTo(0);
        } catch (MalformedProcFileException expected) {
            // documented
        }
    }

    @FuzzTest(maxDuration = "20s")
    void status(byte[] input) {
        try {
            ProcStatusParser.parseUids(input);
        } catch (MalformedProcFileException expected) {
            // documented
        }
    }

    @FuzzTest(maxDuration = "20s")
    void cmdline(byte[] input) {
        List<String> args = CmdlineParser.parse(input);
        int nuls = 0;
        for (byte b : input) {
            nuls += b == 0 ? 1 : 0;
        }
        assertThat(args.size()).isLessThanOrEqualTo(nuls + 1);
    }

    @FuzzTest(maxDuration = "20s")
    void cgroup(byte[] input) {
        try {
            CgroupMembership membership = CgroupParser.parse(input);
            if (membership.containerId() != null) {
                assertThat(membership.containerId()).hasSize(64).matches("[0-9a-f]{64}");
            }
        } catch (MalformedProcFileException expected) {
            // documented
        }
    }

    @FuzzTest(maxDuration = "20s")
    void exeLink(byte[] input) {
        try {
            ExeLink link = ExeLink.parse(input, input.length);
            assertThat(link.path()).startsWith("/");
        } catch (MalformedProcFileException expected) {
            // documented
        }
    }

    @FuzzTest(maxDuration = "20s")
    void passwd(byte[] input) {
        UserNames users = UserNames.parse(input);
        assertThat(users.nameOf(0)).isNotNull();
    }

    @FuzzTest(maxDuration = "20s")
    void socketLink(byte[] input) {
        long inode = SocketLink.inode(input, input.length);
        Matcher m = SOCKET.matcher(new String(input, StandardCharsets.ISO_8859_1));
        long expected = SocketLink.NOT_A_SOCKET;
        if (m.matches()) {
            try {
                expected = Long.parseLong(m.group(1));
            } catch (NumberFormatException tooLarge) {
                expected = SocketLink.NOT_A_SOCKET;
            }
        }
        assertThat(inode).isEqualTo(expected);
    }

    @FuzzTest(maxDuration = "20s")
    void netRaw(byte[] input) {
        for (int family : new int[] {dev.netwarden.socket.SocketEntry.AF_INET, dev.netwarden.socket.SocketEntry.AF_INET6}) {
            try {
                assertThat(ProcNetRawParser.parse(input, input.length, family))
                        .allSatisfy(e -> assertThat(e.inode()).isGreaterThanOrEqualTo(0));
            } catch (MalformedProcFileException expected) {
                // documented
            }
        }
    }
}
