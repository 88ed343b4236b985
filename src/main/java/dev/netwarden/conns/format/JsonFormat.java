package dev.netwarden.conns.format;

import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
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

    private static final JsonFactory FACTORY = JsonFactory.builder().characterEscapes(new TerminalSafeEscapes()).build();

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
            g.writeStringProperty("schema", SCHEMA);
            g.writeArrayPropertyStart("sockets");
            for (Connection c : connections) {
                writeSocket(g, c);
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("warnings");
            if (warnings != null) {
                for (String w : warnings) {
                    g.writeString(w);
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
        g.writeStringProperty("netid", s.netid().label());
        g.writeStringProperty("family", s.netid().isUnix() ? "unix" : s.isIpv6() ? "inet6" : "inet");
        g.writeStringProperty("state", StableStateName.of(s.state()));
        g.writeNumberProperty("recv_q", s.recvQ());
        g.writeNumberProperty("send_q", s.sendQ());
        writeEndpoint(g, "local", s, s.local());
        writeEndpoint(g, "remote", s, s.remote());
        if (s.netid().isUnix()) {
            g.writeStringProperty("path", s.unixPath() == null || s.unixPath().isEmpty() ? null : s.unixPath());
            writeNullableNumber(g, "peer_inode", s.unixPeerInode(), 0);
        } else {
            g.writeNullProperty("path");
            g.writeNullProperty("peer_inode");
        }
        writeNullableNumber(g, "uid", s.uid(), -1);
        g.writeNumberProperty("inode", s.inode());
        if (s.cookie() == 0) {
            g.writeNullProperty("cookie");
        } else {
            g.writeStringProperty("cookie", Long.toUnsignedString(s.cookie()));
        }
        writeNullableNumber(g, "interface", s.interfaceIndex(), 0);
        g.writeStringProperty("interface_name",
                s.interfaceIndex() == 0 || interfaceName == null ? null : interfaceName.apply(s.interfaceIndex()));
        g.writeStringProperty("congestion", s.congestion());
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
            g.writeNullProperty(name);
            return;
        }
        g.writeObjectPropertyStart(name);
        StringBuilder sb = new StringBuilder(39);
        AddressText.append(sb, e.address(), s.isIpv6());
        g.writeStringProperty("address", sb.toString());
        g.writeNumberProperty("port", e.port());
        g.writeStringProperty("service", services.name(s.netid(), e.port()));
        g.writeEndObject();
    }

    private static void writeTcpInfo(JsonGenerator g, TcpInfo t) {
        if (t == null) {
            g.writeNullProperty("tcp_info");
            return;
        }
        g.writeObjectPropertyStart("tcp_info");
        g.writeNumberProperty("rtt_us", Integer.toUnsignedLong(t.rttMicros()));
        g.writeNumberProperty("rttvar_us", Integer.toUnsignedLong(t.rttVarMicros()));
        g.writeNumberProperty("snd_mss", t.sndMss());
        g.writeNumberProperty("rcv_mss", t.rcvMss());
        g.writeNumberProperty("snd_cwnd", t.sndCwnd());
        g.writeNumberProperty("retransmits", t.retransmits());
        g.writeNumberProperty("total_retrans", t.totalRetrans());
        g.writeNumberProperty("bytes_acked", t.bytesAcked());
        g.writeNumberProperty("bytes_received", t.bytesReceived());
        g.writeNumberProperty("segs_out", t.segsOut());
        g.writeNumberProperty("segs_in", t.segsIn());
        g.writeNumberProperty("last_data_sent_ms", t.lastDataSentMillis());
        g.writeNumberProperty("last_data_recv_ms", t.lastDataRecvMillis());
        g.writeEndObject();
    }

    private static void writeProcess(JsonGenerator g, Owner o) {
        ProcessInfo p = o.process();
        g.writeStartObject();
        g.writeNumberProperty("pid", p.pid());
        g.writeNumberProperty("fd", o.fd());
        g.writeStringProperty("name", p.comm());
        g.writeStringProperty("user", p.user());
        writeNullableNumber(g, "uid", p.uid(), -1);
        g.writeStringProperty("exe", p.exe());
        g.writeBooleanProperty("exe_deleted", p.exeDeleted());
        g.writeArrayPropertyStart("cmdline");
        for (String arg : p.cmdline()) {
            g.writeString(arg);
        }
        g.writeEndArray();
        writeNullableNumber(g, "ppid", p.ppid(), -1);
        writeNullableNumber(g, "start_ticks", p.startTicks(), -1);
        g.writeStringProperty("cgroup", p.cgroup());
        g.writeStringProperty("container_id", p.containerId());
        g.writeEndObject();
    }

    private static void writeNullableNumber(JsonGenerator g, String name, long value, long absent) {
        if (value == absent) {
            g.writeNullProperty(name);
        } else {
            g.writeNumberProperty(name, value);
        }
    }

    /** Escapes what JSON allows raw but a terminal would act on. */
    private static final class TerminalSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        TerminalSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean escape = ch == 0x7f || (ch >= 0x80 && ch <= 0x9f) || Character.isSurrogate((char) ch)
                    || Character.getType(ch) == Character.FORMAT
                    || Character.getType(ch) == Character.LINE_SEPARATOR
                    || Character.getType(ch) == Character.PARAGRAPH_SEPARATOR;
            if (!escape) {
                return null;
            }
            char[] hex = "0123456789abcdef".toCharArray();
            return new SerializedString("\\u" + hex[(ch >> 12) & 0xf] + hex[(ch >> 8) & 0xf]
                    + hex[(ch >> 4) & 0xf] + hex[ch & 0xf]);
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
