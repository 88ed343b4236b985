package dev.netwarden.linux.bpf;

import dev.netwarden.linux.ffm.Libc;
import dev.netwarden.linux.sockdiag.SockDiag;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The connect recorder against the real kernel: a child process connects on loopback (the root
 * namespace's lo, no other traffic), and the record for its socket's cookie (as sock_diag reports it)
 * must name the child, not this JVM. Needs root.
 */
class ConnectRecorderLiveTest {
    private static ConnectRecorder recorder() {
        assumeTrue(Libc.geteuid() == 0, "needs root: attaches a BPF program to a tracepoint");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        return ConnectRecorder.system().orElseThrow(() ->
                new AssertionError("as root on a kernel with BTF the recorder must attach: " + ConnectRecorder.describeSource()));
    }

    @Test
    void theRecordNamesTheProcessThatConnectedEvenAfterItExited() throws Exception {
        ConnectRecorder r = recorder();
        Process child = new ProcessBuilder("/usr/bin/python3", "-c", """
                import socket, os, sys
                l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(4)
                c = socket.socket(); c.connect(l.getsockname())
                a, _ = l.accept()
                print(os.getpid(), c.getsockname()[1], l.getsockname()[1], flush=True)
                sys.stdin.read()
                """).start();
        long cookie;
        int childPid;
        try {
            String[] line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine().split(" ");
            childPid = Integer.parseInt(line[0]);
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            try (SockDiag diag = SockDiag.open()) {
                SocketEntry client = diag.lookup(Netid.TCP, new InetEndpoint(lo, Integer.parseInt(line[1])),
                        new InetEndpoint(lo, Integer.parseInt(line[2]))).orElseThrow();
                cookie = client.cookie();
                SocketEntry accepted = diag.lookup(Netid.TCP, new InetEndpoint(lo, Integer.parseInt(line[2])),
                        new InetEndpoint(lo, Integer.parseInt(line[1]))).orElseThrow();
                assertThat(r.pidOf(accepted.cookie())).as("an accepted socket never connected").isZero();
            }
            assertThat(cookie).isNotZero();
            assertThat(r.pidOf(cookie)).isEqualTo(childPid);
        } finally {
            child.getOutputStream().close();
            child.waitFor();
        }
        assertThat(r.pidOf(cookie)).as("the record outlives the socket and the process").isEqualTo(childPid);
        assertThat(r.pidOf(0)).isZero();
        assertThat(r.pidOf(Long.MAX_VALUE - 3)).isZero();
    }

    @Test
    void theProgramIsOneStateCheckThenTheRecord() {
        long[] p = ConnectRecorder.instructions(7);
        assertThat(p[0]).isEqualTo(EbpfAssembler.encode(0x79, 2, 1, ConnectRecorder.CTX_NEWSTATE, 0)); // r2 = ctx->newstate
        assertThat(p[1] & 0xff).isEqualTo(0x55);                                                      // if r2 != SYN_SENT
        assertThat(p[1] >>> 32).isEqualTo(ConnectRecorder.TCP_SYN_SENT);
        assertThat(p).contains(EbpfAssembler.encode(0x18, 1, 1, 0, 7));                            // the map, fd 7
    }
}
