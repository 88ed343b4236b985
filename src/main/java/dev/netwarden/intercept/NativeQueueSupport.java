package dev.netwarden.intercept;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether this kernel's nftables has the native {@code queue} statement (CONFIG_NFT_QUEUE), found by
 * asking {@code nft -c} (check only: the kernel validates the batch and commits nothing) to accept a
 * rule using it in a throw-away table.
 *
 * <p>Decision: netwarden queues through the iptables NFQUEUE target either way. It is present in
 * every kernel with NETFILTER_XT_TARGET_NFQUEUE, works under iptables-nft and -legacy, and the
 * kernels we target (e.g. 6.18 here, CONFIG_NFT_QUEUE off) lack the native statement. This probe is
 * reported (so a later release can switch when it is there), not acted on.
 *
 * @param state  the answer
 * @param detail nft's message, for the log
 */
public record NativeQueueSupport(State state, String detail) {
    public enum State { SUPPORTED, UNSUPPORTED, NFT_MISSING }

    private static final String PROBE = """
            add table inet netwarden_queue_probe
            add chain inet netwarden_queue_probe probe { type filter hook output priority 0 ; policy accept ; }
            add rule inet netwarden_queue_probe probe queue num 0 bypass
            """;

    /** Probes in the current network namespace; changes nothing. */
    public static NativeQueueSupport detect() throws IOException {
        return detect(List.of());
    }

    /** As {@link #detect()}, with nft run behind {@code commandPrefix} (e.g. {@code ip netns exec NAME}). */
    public static NativeQueueSupport detect(List<String> commandPrefix) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(commandPrefix);
        cmd.addAll(List.of("nft", "-c", "-f", "-"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new NativeQueueSupport(State.NFT_MISSING, "nft is not installed: " + e.getMessage());
        }
        try {
            p.getOutputStream().write(PROBE.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("nft -c did not finish within 10 s");
            }
            return p.exitValue() == 0
                    ? new NativeQueueSupport(State.SUPPORTED, "nft accepts the queue statement")
                    : new NativeQueueSupport(State.UNSUPPORTED, out.isEmpty() ? "nft -c exit " + p.exitValue() : out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing nft", e);
        }
    }
}
