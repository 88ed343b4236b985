package dev.netwarden.socket;

/**
 * The part of the kernel's {@code struct tcp_info} that netwarden shows and records. Times are in
 * microseconds as the kernel gives them; byte counters are 64-bit.
 *
 * @param retransmits    retransmissions of the current segment ({@code tcpi_retransmits})
 * @param totalRetrans   retransmitted segments over the connection's life ({@code tcpi_total_retrans})
 * @param rttMicros      smoothed round-trip time
 * @param rttVarMicros   round-trip time variance
 * @param sndCwnd        congestion window, in segments
 * @param bytesAcked     bytes the peer acknowledged (sent by us)
 * @param bytesReceived  bytes received
 * @param segsOut        segments sent
 * @param segsIn         segments received
 */
public record TcpInfo(
        int state,
        int retransmits,
        int totalRetrans,
        int rttMicros,
        int rttVarMicros,
        int sndMss,
        int rcvMss,
        int sndCwnd,
        long bytesAcked,
        long bytesReceived,
        long segsOut,
        long segsIn,
        long lastDataSentMillis,
        long lastDataRecvMillis) {
}
