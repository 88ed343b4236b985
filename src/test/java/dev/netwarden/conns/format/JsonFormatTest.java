package dev.netwarden.conns.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.netwarden.conns.Connection;
import dev.netwarden.conns.Protocols;
import dev.netwarden.conns.Services;
import dev.netwarden.conns.Sockets;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonFormatTest {

    static JsonNode render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonFormat(Services.builtin(), Protocols.builtin(), i -> i == 2 ? "eth0" : null).write(Fixtures.listing(), List.of("pid 7: permission denied"), out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("\u001b", "\u202e", "\u0007").endsWith("}\n");
        return JsonMapper.builder().build().readTree(json);
    }

    @Test
    void documentShape() {
        JsonNode root = render();
        assertThat(root.get("schema").asString()).isEqualTo("netwarden.conns/1");
        assertThat(root.get("sockets")).hasSize(5);
        assertThat(root.get("warnings").get(0).asString()).isEqualTo("pid 7: permission denied");
    }

    @Test
    void inetSocketFields() {
        JsonNode s = render().get("sockets").get(1);
        assertThat(s.get("netid").asString()).isEqualTo("tcp");
        assertThat(s.get("family").asString()).isEqualTo("inet6");
        assertThat(s.get("state").asString()).isEqualTo("established");
        assertThat(s.get("recv_q").asLong()).isZero();
        assertThat(s.get("send_q").asLong()).isEqualTo(36);
        assertThat(s.get("local").get("address").asString()).isEqualTo("::1");
        assertThat(s.get("local").get("port").asInt()).isEqualTo(22);
        assertThat(s.get("local").get("service").asString()).isEqualTo("ssh");
        assertThat(s.get("remote").get("address").asString()).isEqualTo("fe80::1");
        assertThat(s.get("remote").get("service").isNull()).isTrue();
        assertThat(s.get("path").isNull()).isTrue();
        assertThat(s.get("peer_inode").isNull()).isTrue();
        assertThat(s.get("uid").asInt()).isZero();
        assertThat(s.get("inode").asLong()).isEqualTo(12345);
        assertThat(s.get("cookie").asString()).isEqualTo("31");
        assertThat(s.get("interface").asInt()).isEqualTo(2);
        assertThat(s.get("interface_name").asString()).isEqualTo("eth0");
        assertThat(s.get("congestion").asString()).isEqualTo("cubic");
        JsonNode t = s.get("tcp_info");
        assertThat(t.get("rtt_us").asLong()).isEqualTo(20500);
        assertThat(t.get("total_retrans").asInt()).isEqualTo(3);
        assertThat(t.get("bytes_received").asLong()).isEqualTo(8192);
        JsonNode p = s.get("processes").get(0);
        assertThat(p.get("pid").asInt()).isEqualTo(812);
        assertThat(p.get("fd").asInt()).isEqualTo(4);
        assertThat(p.get("name").asString()).isEqualTo("sshd");
        assertThat(p.get("exe_deleted").asBoolean()).isFalse();
        assertThat(p.get("cmdline").get(0).asString()).isEqualTo("/usr/sbin/sshd");
        assertThat(p.get("container_id").isNull()).isTrue();
    }

    @Test
    void unixSocketAndHostileStringsRoundTrip() {
        JsonNode s = render().get("sockets").get(4);
        assertThat(s.get("family").asString()).isEqualTo("unix");
        assertThat(s.get("netid").asString()).isEqualTo("u_str");
        assertThat(s.get("local").isNull()).isTrue();
        assertThat(s.get("path").asString()).isEqualTo("/run/evil\u001b]0;pwned\u0007.sock");
        assertThat(s.get("peer_inode").asLong()).isEqualTo(1586);
        assertThat(s.get("uid").isNull()).isTrue();
        assertThat(s.get("cookie").isNull()).isTrue();
        assertThat(s.get("tcp_info").isNull()).isTrue();
        JsonNode p = s.get("processes").get(0);
        assertThat(p.get("name").asString()).isEqualTo("\u001b[31mevil\u202e");
        assertThat(p.get("exe_deleted").asBoolean()).isTrue();
        assertThat(p.get("cmdline")).hasSize(2);
    }

    @Test
    void orphanAndMultipleHolders() {
        JsonNode sockets = render().get("sockets");
        assertThat(sockets.get(2).get("processes")).hasSize(3);
        assertThat(sockets.get(3).get("processes")).isEmpty();
        assertThat(sockets.get(3).get("state").asString()).isEqualTo("time-wait");
        assertThat(sockets.get(0).get("remote").get("port").asInt()).isZero();
    }

    @Test
    void v6onlyIsTheKernelsFlagForIpv6SocketsAndNullElsewhere() {
        JsonNode sockets = render().get("sockets");
        assertThat(sockets.get(2).get("family").asString()).isEqualTo("inet6");
        assertThat(sockets.get(2).get("v6only").isBoolean()).isTrue();
        assertThat(sockets.get(2).get("v6only").asBoolean()).as("dual-stack listener").isFalse();
        assertThat(sockets.get(2).get("local").get("address").asString()).as("JSON keeps the address").isEqualTo("::");
        assertThat(sockets.get(1).get("v6only").isNull()).as("IPv6, not reported (established)").isTrue();
        assertThat(sockets.get(0).get("v6only").isNull()).as("IPv4").isTrue();
        assertThat(sockets.get(4).get("v6only").isNull()).as("UNIX").isTrue();

        SocketEntry v6only = Sockets.withV6Only(Sockets.tcp(SocketState.LISTEN, "::", 8443, "::", 0), true);
        assertThat(renderOne(v6only, Services.builtin(), Protocols.builtin()).get("v6only").asBoolean()).isTrue();
    }

    @Test
    void rawServiceIsTheProtocolName() {
        SocketEntry icmp = Sockets.inet(Netid.RAW, SocketState.CLOSE, "0.0.0.0", 1, "0.0.0.0", 0);
        SocketEntry unnamed = Sockets.inet(Netid.RAW, SocketState.CLOSE, "0.0.0.0", 253, "0.0.0.0", 0);
        JsonNode s = renderOne(icmp, Services.builtin(), Protocols.builtin());
        assertThat(s.get("local").get("port").asInt()).isEqualTo(1);
        assertThat(s.get("local").get("service").asString()).isEqualTo("icmp");
        assertThat(s.get("remote").get("service").isNull()).isTrue();
        assertThat(renderOne(unnamed, Services.builtin(), Protocols.builtin()).get("local").get("service").isNull())
                .as("no name: null, not ss's ipproto-253").isTrue();
        assertThat(renderOne(icmp, Services.none(), Protocols.none()).get("local").get("service").isNull())
                .as("-n").isTrue();
        SocketEntry tcpmux = Sockets.tcp(SocketState.LISTEN, "0.0.0.0", 1, "0.0.0.0", 0);
        assertThat(renderOne(tcpmux, Services.parse("tcpmux 1/tcp"), Protocols.builtin()).get("local").get("service").asString())
                .as("TCP ports stay with /etc/services").isEqualTo("tcpmux");
    }

    private static JsonNode renderOne(SocketEntry s, Services services, Protocols protocols) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonFormat(services, protocols, null).write(List.of(new Connection(s, List.of())), List.of(), out);
        return JsonMapper.builder().build().readTree(out.toString(StandardCharsets.UTF_8)).get("sockets").get(0);
    }
}
