package dev.netwarden.conns.filter;

import static dev.netwarden.conns.Sockets.ep;
import static dev.netwarden.conns.Sockets.tcp;
import static dev.netwarden.conns.Sockets.unix;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.netwarden.conns.Services;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

class SsFilterFuzzTest {

    private static final FilterEnvironment ENV = new FilterEnvironment(Services.builtin(),
            name -> name.equals("eth0") ? 2 : 0, inode -> inode == 99 ? "/run/peer" : null);
    private static final SocketEntry[] SAMPLES = {
            tcp(SocketState.ESTABLISHED, "10.0.0.5", 40000, "93.184.216.34", 443),
            tcp(SocketState.LISTEN, "::", 22, "::", 0),
            tcp(SocketState.ESTABLISHED, "::ffff:10.0.0.5", 8080, "::ffff:10.1.2.3", 5555),
            // An AF_INET6 socket with Inet4Address endpoints: how the kernel layer delivers IPv4-mapped addresses.
            new SocketEntry(Netid.TCP, SocketEntry.AF_INET6, SocketState.TIME_WAIT, ep("127.0.0.1", 6000),
                    ep("127.0.0.1", 36218), null, 0, 0, 0, 0, 1, 1, 0, null, null, null),
            unix(SocketState.ESTABLISHED, "/run/foo.sock", 10, 99),
            unix(SocketState.LISTEN, "", 11, 0),
    };

    /**
     * Any string, split into tokens either as one argument or as several, parses or throws
     * FilterSyntaxException; what parses can be evaluated on any socket without an exception.
     */
    @FuzzTest(maxDuration = "60s")
    void parsesOrReportsSyntaxError(FuzzedDataProvider data) {
        boolean severalArgs = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        List<String> args = new ArrayList<>();
        if (severalArgs) {
            for (String part : text.split("\u0001", -1)) {
                args.add(part);
            }
        } else {
            args.add(text);
        }
        ParsedFilter f;
        try {
            f = SsFilterParser.parse(args, ENV);
        } catch (FilterSyntaxException expected) {
            if (expected.getMessage() == null || expected.position() < 1) {
                throw new AssertionError("error without message or position", expected);
            }
            return;
        }
        for (SocketEntry s : SAMPLES) {
            f.matches(s);
        }
        StateSelection.resolve(false, false, f.stateMask()).kernelMask(Netid.UDP);
    }
}
