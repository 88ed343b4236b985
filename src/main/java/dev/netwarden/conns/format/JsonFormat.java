package dev.netwarden.conns.format;

import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Owner;
import dev.netwarden.conns.Protocols;
import dev.netwarden.conns.Services;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.TcpInfo;

/**
 * The {@code conns} listing as one JSON document, schema {@value #SCHEMA}, described field by field in
 * {@code docs/conns-json.md}. Written with Jackson's streaming generator, one socket at a time, so memory
 * does not grow with the number of sockets.
 *
 * <p>Strings are exact (JSON is the faithful output), but DEL, C1 controls, Unicode format characters
 * (bidi overrides…), line/paragraph separators and surrogates are written as {@code \}{@code uXXXX}
 * escapes, in addition to JSON's mandatory escapes, so that {@code cat}-ing the file on a terminal is safe.
 * A parser reads back the same strings.
 */
public final class JsonFormat implements ConnectionsOutput {

    public static final String SCHEMA = "netwarden.conns/1";

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final Services services;
    private final Protocols protocols;
    private final IntFunction<String> interfaceName;

    /**
     * @param services      names for the TCP and UDP {@code service} fields; {@link Services#none()} leaves them null
     * @param protocols     names for the RAW {@code service} fields (the protocol); {@link Protocols#none()} leaves them null
     * @param interfaceName interface index → name for {@code interface_name}, or null to leave it null
     */
    public JsonFormat(Services services, Protocols protocols, IntFunction<String> interfaceName) {
        this.services = Objects.requireNonNull(services, "services is null");
        this.protocols = Objects.requireNonNull(protocols, "protocols is null");
        this.interfaceName = interfaceName;
    }

    @Override
    public void write(Iterable<Connection> connections, List<String> warnings, OutputStream out) {
        Objects.requireNonNull(connections, "connections is null");
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), new NonClosing(out), JsonEncoding.UTF8)) {
            g.writeStartObject();
            str(g, P_SCHEMA, SCHEMA);
            g.writeArrayPropertyStart("sockets");
            for (Connection c : connections) {
                writeSocket(g, c);
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("warnings");
            if (warnings != null) {
                for (String w : warnings) {
                    value(g, w);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private void writeSocket(JsonGenerator g, Connection c) {
        SocketEntry s = c.socket();
        g.writeStartObject();
        str(g, P_NETID, s.netid().label());
        str(g, P_FAMILY, s.netid().isUnix() ? "unix" : s.isIpv6() ? "inet6" : "inet");
        g.writeName(P_V6ONLY);
        if (s.v6Only() == null) {
            g.writeNull();
        } else {
            g.writeBoolean(s.v6Only());
        }
        str(g, P_STATE, StableStateName.of(s.state()));
        g.writeName(P_RECV_Q); g.writeNumber(s.recvQ());
        g.writeName(P_SEND_Q); g.writeNumber(s.sendQ());
        writeEndpoint(g, P_LOCAL, s, s.local());
        writeEndpoint(g, P_REMOTE, s, s.remote());
        if (s.netid().isUnix()) {
            str(g, P_PATH, s.unixPath() == null || s.unixPath().isEmpty() ? null : s.unixPath());
            writeNullableNumber(g, P_PEER_INODE, s.unixPeerInode(), 0);
        } else {
            g.writeName(P_PATH); g.writeNull();
            g.writeName(P_PEER_INODE); g.writeNull();
        }
        writeNullableNumber(g, P_UID, s.uid(), -1);
        g.writeName(P_INODE); g.writeNumber(s.inode());
        if (s.cookie() == 0) {
            g.writeName(P_COOKIE); g.writeNull();
        } else {
            str(g, P_COOKIE, Long.toUnsignedString(s.cookie()));
        }
        writeNullableNumber(g, P_INTERFACE, s.interfaceIndex(), 0);
        str(g, P_INTERFACE_NAME,
                s.interfaceIndex() == 0 || interfaceName == null ? null : interfaceName.apply(s.interfaceIndex()));
        str(g, P_CONGESTION, s.congestion());
        writeTcpInfo(g, s.tcpInfo());
        g.writeArrayPropertyStart("processes");
        for (Owner o : c.owners()) {
            writeProcess(g, o);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeEndpoint(JsonGenerator g, SerializedString name, SocketEntry s, InetEndpoint e) {
        if (e == null) {
            g.writeName(name); g.writeNull();
            return;
        }
        g.writeName(name); g.writeStartObject();
        StringBuilder sb = new StringBuilder(39);
        AddressText.append(sb, e.address(), s.isIpv6());
        str(g, P_ADDRESS, sb.toString());
        g.writeName(P_PORT); g.writeNumber(e.port());
        str(g, P_SERVICE, s.netid() == Netid.RAW
                ? (e.port() == 0 ? null : protocols.name(e.port())) : services.name(s.netid(), e.port()));
        g.writeEndObject();
    }

    private static void writeTcpInfo(JsonGenerator g, TcpInfo t) {
        if (t == null) {
            g.writeName(P_TCP_INFO); g.writeNull();
            return;
        }
        g.writeObjectPropertyStart("tcp_info");
        g.writeName(P_RTT_US); g.writeNumber(Integer.toUnsignedLong(t.rttMicros()));
        g.writeName(P_RTTVAR_US); g.writeNumber(Integer.toUnsignedLong(t.rttVarMicros()));
        g.writeName(P_SND_MSS); g.writeNumber(t.sndMss());
        g.writeName(P_RCV_MSS); g.writeNumber(t.rcvMss());
        g.writeName(P_SND_CWND); g.writeNumber(t.sndCwnd());
        g.writeName(P_RETRANSMITS); g.writeNumber(t.retransmits());
        g.writeName(P_TOTAL_RETRANS); g.writeNumber(t.totalRetrans());
        g.writeName(P_BYTES_ACKED); g.writeNumber(t.bytesAcked());
        g.writeName(P_BYTES_RECEIVED); g.writeNumber(t.bytesReceived());
        g.writeName(P_SEGS_OUT); g.writeNumber(t.segsOut());
        g.writeName(P_SEGS_IN); g.writeNumber(t.segsIn());
        g.writeName(P_LAST_DATA_SENT_MS); g.writeNumber(t.lastDataSentMillis());
        g.writeName(P_LAST_DATA_RECV_MS); g.writeNumber(t.lastDataRecvMillis());
        g.writeEndObject();
    }

    private static void writeProcess(JsonGenerator g, Owner o) {
        ProcessInfo p = o.process();
        g.writeStartObject();
        g.writeName(P_PID); g.writeNumber(p.pid());
        g.writeName(P_FD); g.writeNumber(o.fd());
        str(g, P_NAME, p.comm());
        str(g, P_USER, p.user());
        writeNullableNumber(g, P_UID, p.uid(), -1);
        str(g, P_EXE, p.exe());
        g.writeName(P_EXE_DELETED); g.writeBoolean(p.exeDeleted());
        g.writeArrayPropertyStart("cmdline");
        for (String arg : p.cmdline()) {
            value(g, arg);
        }
        g.writeEndArray();
        writeNullableNumber(g, P_PPID, p.ppid(), -1);
        writeNullableNumber(g, P_START_TICKS, p.startTicks(), -1);
        str(g, P_CGROUP, p.cgroup());
        str(g, P_CONTAINER_ID, p.containerId());
        g.writeEndObject();
    }

    private static void writeNullableNumber(JsonGenerator g, SerializedString name, long value, long absent) {
        if (value == absent) {
            g.writeName(name); g.writeNull();
        } else {
            g.writeName(name); g.writeNumber(value);
        }
    }

    // Property names, escaped once (a map lookup per field and row cost more than the writing).
    private static final SerializedString P_ADDRESS = new SerializedString("address");
    private static final SerializedString P_BYTES_ACKED = new SerializedString("bytes_acked");
    private static final SerializedString P_BYTES_RECEIVED = new SerializedString("bytes_received");
    private static final SerializedString P_CGROUP = new SerializedString("cgroup");
    private static final SerializedString P_CONGESTION = new SerializedString("congestion");
    private static final SerializedString P_CONTAINER_ID = new SerializedString("container_id");
    private static final SerializedString P_COOKIE = new SerializedString("cookie");
    private static final SerializedString P_EXE = new SerializedString("exe");
    private static final SerializedString P_EXE_DELETED = new SerializedString("exe_deleted");
    private static final SerializedString P_FAMILY = new SerializedString("family");
    private static final SerializedString P_FD = new SerializedString("fd");
    private static final SerializedString P_INODE = new SerializedString("inode");
    private static final SerializedString P_INTERFACE = new SerializedString("interface");
    private static final SerializedString P_INTERFACE_NAME = new SerializedString("interface_name");
    private static final SerializedString P_LAST_DATA_RECV_MS = new SerializedString("last_data_recv_ms");
    private static final SerializedString P_LAST_DATA_SENT_MS = new SerializedString("last_data_sent_ms");
    private static final SerializedString P_LOCAL = new SerializedString("local");
    private static final SerializedString P_NAME = new SerializedString("name");
    private static final SerializedString P_NETID = new SerializedString("netid");
    private static final SerializedString P_PATH = new SerializedString("path");
    private static final SerializedString P_PEER_INODE = new SerializedString("peer_inode");
    private static final SerializedString P_PID = new SerializedString("pid");
    private static final SerializedString P_PORT = new SerializedString("port");
    private static final SerializedString P_PPID = new SerializedString("ppid");
    private static final SerializedString P_RCV_MSS = new SerializedString("rcv_mss");
    private static final SerializedString P_RECV_Q = new SerializedString("recv_q");
    private static final SerializedString P_REMOTE = new SerializedString("remote");
    private static final SerializedString P_RETRANSMITS = new SerializedString("retransmits");
    private static final SerializedString P_RTT_US = new SerializedString("rtt_us");
    private static final SerializedString P_RTTVAR_US = new SerializedString("rttvar_us");
    private static final SerializedString P_SCHEMA = new SerializedString("schema");
    private static final SerializedString P_SEGS_IN = new SerializedString("segs_in");
    private static final SerializedString P_SEGS_OUT = new SerializedString("segs_out");
    private static final SerializedString P_SEND_Q = new SerializedString("send_q");
    private static final SerializedString P_SERVICE = new SerializedString("service");
    private static final SerializedString P_SND_CWND = new SerializedString("snd_cwnd");
    private static final SerializedString P_SND_MSS = new SerializedString("snd_mss");
    private static final SerializedString P_START_TICKS = new SerializedString("start_ticks");
    private static final SerializedString P_STATE = new SerializedString("state");
    private static final SerializedString P_TCP_INFO = new SerializedString("tcp_info");
    private static final SerializedString P_TOTAL_RETRANS = new SerializedString("total_retrans");
    private static final SerializedString P_UID = new SerializedString("uid");
    private static final SerializedString P_USER = new SerializedString("user");
    private static final SerializedString P_V6ONLY = new SerializedString("v6only");

    private static void str(JsonGenerator g, SerializedString name, String value) {
        g.writeName(name);
        value(g, value);
    }

    /**
     * Writes a string value. Jackson escapes quotes, backslashes and C0; the rare string that also holds
     * DEL, C1, a format character, a line separator or a surrogate is escaped here and written raw. (A
     * CharacterEscapes on the factory did the same but slowed every string down by half.)
     */
    private static void value(JsonGenerator g, String v) {
        if (v == null) {
            g.writeNull();
        } else if (JsonText.isPlain(v)) {
            g.writeString(v);
        } else {
            g.writeRawValue(JsonText.quote(v));
        }
    }

    /** Keeps the generator's close() from closing the caller's stream; it still flushes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(Objects.requireNonNull(out, "out is null"));
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws java.io.IOException {
            out.flush();
        }
    }
}
