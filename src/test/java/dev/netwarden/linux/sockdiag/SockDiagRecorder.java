package dev.netwarden.linux.sockdiag;

import dev.netwarden.testing.TestNamespace;
import dev.netwarden.linux.netlink.NetlinkHeader;
import dev.netwarden.linux.netlink.NetlinkMessageCursor;
import dev.netwarden.linux.netlink.NetlinkSocket;
import dev.netwarden.socket.InetEndpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Test support, run by hand as root: records real sock_diag replies as test fixtures.
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes \
 *        dev.netwarden.linux.sockdiag.SockDiagRecorder src/test/resources/dev/netwarden/linux/sockdiag/fixtures
 * </pre>
 * It creates namespace {@code nw-test-rec-<pid>}, starts socket_holder.py there (TCP listener
 * 127.0.0.1:7001 with an established pair and a pending connection, [::1]:7002 listener, UDP
 * 127.0.0.1:7003 and 127.0.0.1:7004 (uid 65534), a UNIX listener at a path, an abstract one, an
 * unbound datagram socket), then re-runs itself inside the namespace ({@code --inside}) to write each
 * reply's messages, byte for byte, to {@code *.bin}, plus {@code recording.properties} with the
 * values the tests need (ephemeral ports, names). Namespace and holder are removed afterwards.
 */
public final class SockDiagRecorder {
    private SockDiagRecorder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("--inside")) {
            recordInside(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/dev/netwarden/linux/sockdiag/fixtures").toAbsolutePath();
        Files.createDirectories(out);
        long pid = ProcessHandle.current().pid();
        String unixPath = "/tmp/nw-test-rec-" + pid + ".sock";
        String abstractName = "nw-test-rec-abstract-" + pid;
        try (TestNamespace ns = TestNamespace.create("rec")) {
            Map<String, String> holder = SocketHolderScript.start(ns, unixPath, abstractName);
            String clientPort = holder.get("client_port");
            System.out.print(ns.exec(60, TestNamespace.javaCommand(SockDiagRecorder.class, "--inside", out.toString(), clientPort)));
            Map<String, String> props = new TreeMap<>();
            props.put("unix_path", unixPath);
            props.put("abstract_name", abstractName);
            props.put("client_port", clientPort);
            props.put("pending_port", holder.get("pending_port"));
            props.put("kernel", System.getProperty("os.version"));
            StringBuilder sb = new StringBuilder("# written by SockDiagRecorder\n");
            props.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Files.writeString(out.resolve("recording.properties"), sb.toString());
        } finally {
            Files.deleteIfExists(Path.of(unixPath));
        }
    }

    private static void recordInside(Path out, int clientPort) throws IOException {
        int all = SockDiagQuery.ALL_STATES;
        int infoCong = InetDiagRequest.EXT_INFO | InetDiagRequest.EXT_CONG;
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkHeader.NETLINK_SOCK_DIAG)) {
            record(socket, out.resolve("tcp4.bin"), InetDiagRequest.dump(InetDiagParser.AF_INET, InetDiagRequest.IPPROTO_TCP, infoCong, all), true);
            record(socket, out.resolve("tcp6.bin"), InetDiagRequest.dump(InetDiagParser.AF_INET6, InetDiagRequest.IPPROTO_TCP, infoCong, all), true);
            record(socket, out.resolve("udp4.bin"), InetDiagRequest.dump(InetDiagParser.AF_INET, InetDiagRequest.IPPROTO_UDP, 0, all), true);
            record(socket, out.resolve("unix.bin"), UnixDiagRequest.dump(all, UnixDiagRequest.DEFAULT_SHOW), true);
            MemorySegment lookup = MemorySegment.ofArray(new byte[InetDiagRequest.LENGTH]);
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            InetDiagRequest.writeExact(lookup, 0, InetDiagRequest.IPPROTO_TCP,
                    new InetEndpoint(lo, clientPort), new InetEndpoint(lo, 7001));
            record(socket, out.resolve("lookup-tcp4.bin"), lookup, false);
        }
    }

    private static void record(NetlinkSocket socket, Path file, MemorySegment request, boolean dump) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] count = new int[1];
        var handler = (dev.netwarden.linux.netlink.NetlinkMessageHandler) (NetlinkMessageCursor m) -> {
            byte[] msg = m.segment().asSlice(m.offset(), m.length()).toArray(JAVA_BYTE);
            bytes.writeBytes(msg);
            bytes.writeBytes(new byte[(4 - (msg.length & 3)) & 3]);
            count[0]++;
        };
        if (dump) {
            socket.dump(request, handler);
        } else {
            socket.request(request, handler);
        }
        Files.write(file, bytes.toByteArray());
        System.out.println(file.getFileName() + ": " + count[0] + " messages, " + bytes.size() + " bytes");
    }

    static List<String> fixtureNames() {
        return List.of("tcp4.bin", "tcp6.bin", "udp4.bin", "unix.bin", "lookup-tcp4.bin");
    }
}
