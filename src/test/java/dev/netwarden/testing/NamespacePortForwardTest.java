package dev.netwarden.testing;

import dev.netwarden.linux.netns.NetNamespace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NamespacePortForwardTest {

    /** An echo server whose listening socket lives in {@code ns}; upper-cases what it reads. */
    private static ServerSocket echoIn(TestNamespace ns) throws IOException {
        ServerSocket server = NetNamespace.callIn(NetNamespace.named(ns.name()), () -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s;
        });
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket c = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                            int b;
                            while ((b = in.read()) >= 0) {
                                out.write(Character.toUpperCase(b));
                                out.flush();
                            }
                        } catch (IOException ignored) {
                            // the test closed it
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    /** Whether a TCP socket listens on {@code port} in this JVM's namespace (IPv4 or dual-stack IPv6). */
    private static boolean listensHere(int port) throws IOException {
        java.util.regex.Pattern listen = java.util.regex.Pattern.compile(String.format(":%04X [0-9A-F]+:0000 0A ", port));
        return listen.matcher(Files.readString(Path.of("/proc/self/net/tcp"))).find()
                || listen.matcher(Files.readString(Path.of("/proc/self/net/tcp6"))).find();
    }

    @Test
    void forwardsBothWaysIntoTheNamespaceAndClosesEverything() throws Exception {
        Assumptions.assumeTrue(TestNamespace.isRoot(), "needs root to create a network namespace");
        try (TestNamespace ns = TestNamespace.create("fwd");
             ServerSocket echo = echoIn(ns);
             NamespacePortForward fwd = NamespacePortForward.start(ns, echo.getLocalPort())) {
            // The echo server listens in the namespace only; the forwarder's port is this namespace's.
            assertThat(listensHere(fwd.port())).isTrue();
            assertThat(listensHere(echo.getLocalPort())).isFalse();
            for (int round = 0; round < 3; round++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fwd.port())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    byte[] got = s.getInputStream().readNBytes(5);
                    assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("HELLO");
                }
            }
            Socket held = new Socket(InetAddress.getLoopbackAddress(), fwd.port());
            held.setSoTimeout(10_000);
            held.getOutputStream().write('x');
            assertThat(held.getInputStream().read()).isEqualTo('X');
            fwd.close();
            // close() ended the open pair: the client sees end of stream or a reset.
            int after;
            try {
                after = held.getInputStream().read();
            } catch (IOException reset) {
                after = -1;
            }
            assertThat(after).isEqualTo(-1);
            held.close();
        }
    }
}
