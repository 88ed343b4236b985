package dev.netwarden.linux.netlink;

/**
 * Receives the reply messages of one request. The cursor (and the memory it points into) is only
 * valid during the call: the socket reuses its receive buffer for the next datagram.
 */
@FunctionalInterface
public interface NetlinkMessageHandler {
    void onMessage(NetlinkMessageCursor message);
}
