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
import dev.netwarden.conns.Services;
import dev.netwarden.process.ProcessInfo;
import dev.netwarden.socket.InetEndpoint;
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
    private final IntFunction<String> interfaceName;

    /**
     * @param services      names for the {@code service} fields; {@link Services#none()} leaves them null
     * @param interfaceName interface index → name for {@code interface_name}, or null to leave it null
     */
    public JsonFormat(Services services, IntFunction<String> interfaceName) {
        this.services = Objects.requireNonNull(services, "services is null");
        this.interfaceName = interfaceName;
    }

    @Override
    public void write(Iterable<Connection> connections, List<String> warnings, OutputStream out) {
        Objects.requireNonNull(connections, "connections is null");
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), new NonClosing(out), JsonEncoding.UTF8)) {
            g.writeStartObject();
            str(g, "schema", SCHEMA);
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
        str(g, "netid", s.netid().label());
        str(g, "family", s.netid().isUnix() ? "unix" : s.isIpv6() ? "inet6" : "inet");
        str(g, "state", StableStateName.of(s.state()));
        g.writeName(name("recv_q")); g.writeNumber(s.recvQ());
        g.writeName(name("send_q")); g.writeNumber(s.sendQ());
        writeEndpoint(g, "local", s, s.local());
        writeEndpoint(g, "remote", s, s.remote());
        if (s.netid().isUnix()) {
            str(g, "path", s.unixPath() == null || s.unixPath().isEmpty() ? null : s.unixPath());
            writeNullableNumber(g, "peer_inode", s.unixPeerInode(), 0);
        } else {
            g.writeName(name("path")); g.writeNull();
            g.writeName(name("peer_inode")); g.writeNull();
        }
        writeNullableNumber(g, "uid", s.uid(), -1);
        g.writeName(name("inode")); g.writeNumber(s.inode());
        if (s.cookie() == 0) {
            g.writeName(name("cookie")); g.writeNull();
        } else {
            str(g, "cookie", Long.toUnsignedString(s.cookie()));
        }
        writeNullableNumber(g, "interface", s.interfaceIndex(), 0);
        str(g, "interface_name",
                s.interfaceIndex() == 0 || interfaceName == null ? null : interfaceName.apply(s.interfaceIndex()));
        str(g, "congestion", s.congestion());
        writeTcpInfo(g, s.tcpInfo());
        g.writeArrayPropertyStart("processes");
        for (Owner o : c.owners()) {
            writeProcess(g, o);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeEndpoint(JsonGenerator g, String name, SocketEntry s, InetEndpoint e) {
        if (e == null) {
            g.writeName(name(name)); g.writeNull();
            return;
        }
        g.writeName(name(name)); g.writeStartObject();
        StringBuilder sb = new StringBuilder(39);
        AddressText.append(sb, e.address(), s.isIpv6());
        str(g, "address", sb.toString());
        g.writeName(name("port")); g.writeNumber(e.port());
        str(g, "service", services.name(s.netid(), e.port()));
        g.writeEndObject();
    }

    private static void writeTcpInfo(JsonGenerator g, TcpInfo t) {
        if (t == null) {
            g.writeName(name("tcp_info")); g.writeNull();
            return;
        }
        g.writeObjectPropertyStart("tcp_info");
        g.writeName(name("rtt_us")); g.writeNumber(Integer.toUnsignedLong(t.rttMicros()));
        g.writeName(name("rttvar_us")); g.writeNumber(Integer.toUnsignedLong(t.rttVarMicros()));
        g.writeName(name("snd_mss")); g.writeNumber(t.sndMss());
        g.writeName(name("rcv_mss")); g.writeNumber(t.rcvMss());
        g.writeName(name("snd_cwnd")); g.writeNumber(t.sndCwnd());
        g.writeName(name("retransmits")); g.writeNumber(t.retransmits());
        g.writeName(name("total_retrans")); g.writeNumber(t.totalRetrans());
        g.writeName(name("bytes_acked")); g.writeNumber(t.bytesAcked());
        g.writeName(name("bytes_received")); g.writeNumber(t.bytesReceived());
        g.writeName(name("segs_out")); g.writeNumber(t.segsOut());
        g.writeName(name("segs_in")); g.writeNumber(t.segsIn());
        g.writeName(name("last_data_sent_ms")); g.writeNumber(t.lastDataSentMillis());
        g.writeName(name("last_data_recv_ms")); g.writeNumber(t.lastDataRecvMillis());
        g.writeEndObject();
    }

    private static void writeProcess(JsonGenerator g, Owner o) {
        ProcessInfo p = o.process();
        g.writeStartObject();
        g.writeName(name("pid")); g.writeNumber(p.pid());
        g.writeName(name("fd")); g.writeNumber(o.fd());
        str(g, "name", p.comm());
        str(g, "user", p.user());
        writeNullableNumber(g, "uid", p.uid(), -1);
        str(g, "exe", p.exe());
        g.writeName(name("exe_deleted")); g.writeBoolean(p.exeDeleted());
        g.writeArrayPropertyStart("cmdline");
        for (String arg : p.cmdline()) {
            value(g, arg);
        }
        g.writeEndArray();
        writeNullableNumber(g, "ppid", p.ppid(), -1);
        writeNullableNumber(g, "start_ticks", p.startTicks(), -1);
        str(g, "cgroup", p.cgroup());
        str(g, "container_id", p.containerId());
        g.writeEndObject();
    }

    private static void writeNullableNumber(JsonGenerator g, String name, long value, long absent) {
        if (value == absent) {
            g.writeName(name(name)); g.writeNull();
        } else {
            g.writeName(name(name)); g.writeNumber(value);
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, SerializedString> NAMES =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Property names are escaped once, not per row. */
    private static SerializedString name(String name) {
        return NAMES.computeIfAbsent(name, SerializedString::new);
    }

    private static void str(JsonGenerator g, String name, String value) {
        g.writeName(name(name));
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
