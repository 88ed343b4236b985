package dev.netwarden.linux.bpf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One-process socket scans (bench/scan-pid-bench.sh runs it as root): the BPF iterator's
 * {@link TaskSocketIterator#scanPid} against readlink of every /proc/PID/fd entry, on a child process
 * holding N sockets. The firewall makes such a scan about once per batch of new connections (to confirm
 * that a new socket belongs to the process that made the last ones).
 */
public final class ScanPidBench {
    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int scans = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        TaskSocketIterator it = TaskSocketIterator.system().orElseThrow(() ->
                new IllegalStateException("no BPF iterator: " + TaskSocketIterator.unavailableReason()));
        Process holder = new ProcessBuilder("/usr/bin/python3", "-c", """
                import socket, sys
                keep = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(%d)]
                print('ready', flush=True)
                sys.stdin.read()
                """.formatted(sockets)).redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"ready".equals(line)) {
                throw new IllegalStateException("holder did not start: " + line);
            }
            int pid = (int) holder.pid();
            for (int round = 1; round <= 3; round++) {
                long[] found = new long[1];
                long t0 = System.nanoTime();
                for (int i = 0; i < scans; i++) {
                    it.scanPid(pid, (p, fd, inode) -> found[0]++);
                }
                long bpf = System.nanoTime() - t0;
                long procFound = 0;
                int procScans = Math.max(1, scans / 10);
                t0 = System.nanoTime();
                for (int i = 0; i < procScans; i++) {
                    procFound += procSockets(pid);
                }
                long proc = System.nanoTime() - t0;
                System.out.printf("round %d: %d sockets; BPF scanPid %.1f µs per scan; /proc/%d/fd readlinks %.1f µs per scan%n",
                        round, found[0] / scans, bpf / 1000.0 / scans, pid, proc / 1000.0 / procScans);
                if (found[0] / scans != sockets || procFound / procScans < sockets) {
                    throw new IllegalStateException("scans disagree: bpf " + found[0] / scans + ", proc " + procFound / procScans);
                }
            }
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
            it.close();
        }
    }

    private static int procSockets(int pid) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:[")) {
                        n++;
                    }
                } catch (NoSuchFileException e) {
                    // closed meanwhile
                }
            }
        }
        return n;
    }
}
