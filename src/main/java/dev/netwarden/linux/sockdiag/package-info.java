/**
 * sock_diag (NETLINK_SOCK_DIAG): asks the kernel for its sockets and turns the replies into
 * {@link dev.netwarden.socket.SocketEntry} records. {@link dev.netwarden.linux.sockdiag.SockDiag} does
 * the I/O; the request writers ({@code InetDiagRequest}, {@code UnixDiagRequest}) and parsers
 * ({@code InetDiagParser}, {@code UnixDiagParser}, {@code TcpInfoParser}) are pure functions over bytes,
 * tested against recorded kernel replies and fuzzed. Bad bytes raise only
 * {@link dev.netwarden.linux.netlink.MalformedNetlinkException}.
 *
 * <p>Owns nothing about processes: tying an inode to a pid is {@code linux.proc}'s job.
 */
package dev.netwarden.linux.sockdiag;
