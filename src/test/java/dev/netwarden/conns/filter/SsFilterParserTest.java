package dev.netwarden.conns.filter;

import static dev.netwarden.conns.Sockets.addr;
import static dev.netwarden.conns.Sockets.ep;
import static dev.netwarden.conns.Sockets.tcp;
import static dev.netwarden.conns.Sockets.unix;
import static dev.netwarden.conns.Sockets.withDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.netwarden.conns.Services;
import dev.netwarden.conns.filter.FilterExpression.And;
import dev.netwarden.conns.filter.FilterExpression.MatchAll;
import dev.netwarden.conns.filter.FilterExpression.Not;
import dev.netwarden.conns.filter.FilterExpression.Op;
import dev.netwarden.conns.filter.FilterExpression.Or;
import dev.netwarden.conns.filter.FilterExpression.PortCompare;
import dev.netwarden.conns.filter.FilterExpression.Side;
import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;

class SsFilterParserTest {

    static final Map<Long, String> PEERS = Map.of(99L, "/run/dbus/system_bus_socket");
    static final FilterEnvironment ENV = new FilterEnvironment(Services.builtin(),
            name -> name.equals("eth0") ? 2 : name.equals("lo") ? 1 : 0, PEERS::get);

    static ParsedFilter parse(String s) {
        return SsFilterParser.parse(s, ENV);
    }

    static boolean matches(String filter, SocketEntry s) {
        return parse(filter).matches(s);
    }

    static final SocketEntry HTTPS_OUT = tcp(SocketState.ESTABLISHED, "10.0.0.5", 40000, "93.184.216.34", 443);
    static final SocketEntry SSH_IN = tcp(SocketState.ESTABLISHED, "10.0.0.5", 22, "192.168.1.7", 51000);
    static final SocketEntry V6 = tcp(SocketState.ESTABLISHED, "::1", 22, "fe80::1", 60000);
    static final SocketEntry MAPPED = tcp(SocketState.ESTABLISHED, "::ffff:10.0.0.5", 8080, "::ffff:10.1.2.3", 5555);
    static final SocketEntry UNIX = unix(SocketState.ESTABLISHED, "/run/Foo.sock", 10, 99);

    @Test
    void theBriefsExample() {
        ParsedFilter f = SsFilterParser.parse(
                List.of("state", "established", "(", "dport", "=", ":443", "or", "sport", "=", ":ssh", ")"), ENV);
        assertThat(f.stateMask()).hasValue(SocketState.ESTABLISHED.maskBit());
        assertThat(f.expression()).isEqualTo(new Or(
                new PortCompare(Side.DESTINATION, Op.EQ, 443), new PortCompare(Side.SOURCE, Op.EQ, 22)));
        assertThat(f.matches(HTTPS_OUT)).isTrue();
        assertThat(f.matches(SSH_IN)).isTrue();
        assertThat(f.matches(V6)).isTrue();
        assertThat(f.matches(MAPPED)).isFalse();
    }

    @Test
    void quotedSingleArgumentAndGluedParentheses() {
        FilterExpression a = SsFilterParser.parse(List.of("( dport = :ssh or sport = :ssh )"), ENV).expression();
        FilterExpression b = parse("(dport = :ssh or sport = :ssh)").expression();
        FilterExpression c = SsFilterParser.parse(List.of("((dport", "=", ":22))"), ENV).expression();
        assertThat(a).isEqualTo(b);
        assertThat(c).isEqualTo(new PortCompare(Side.DESTINATION, Op.EQ, 22));
    }

    @Test
    void emptyFilterMatchesAll() {
        ParsedFilter f = SsFilterParser.parse(List.of(), ENV);
        assertThat(f.stateMask()).isEmpty();
        assertThat(f.expression()).isEqualTo(new MatchAll());
        assertThat(parse("   ").matches(UNIX)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "=, 443, true", "==, 443, true", "eq, 443, true", "EQ, 443, true",
            "!=, 443, false", "ne, 443, false", "neq, 443, false", "!=, 80, true",
            "<, 444, true", "lt, 443, false", ">, 442, true", "gt, 443, false",
            "<=, 443, true", "le, 442, false", "leq, 443, true",
            ">=, 443, true", "ge, 444, false", "geq, 443, true",
    })
    void everyPortOperator(String op, int port, boolean expected) {
        assertThat(matches("dport " + op + " :" + port, HTTPS_OUT)).isEqualTo(expected);
        assertThat(matches("dport " + op + " " + port, HTTPS_OUT)).as("without colon").isEqualTo(expected);
    }

    @Test
    void portWithoutOperatorMeansEquals() {
        assertThat(parse("dport :443").expression()).isEqualTo(new PortCompare(Side.DESTINATION, Op.EQ, 443));
        assertThat(matches("sport > :1024", HTTPS_OUT)).isTrue();
        assertThat(matches("sport > :1024", SSH_IN)).isFalse();
        assertThat(matches("dport = :*", HTTPS_OUT)).isTrue();
    }

    @Test
    void serviceNames() {
        assertThat(parse("dport = :https").expression()).isEqualTo(new PortCompare(Side.DESTINATION, Op.EQ, 443));
        assertThat(parse("sport = ssh").expression()).isEqualTo(new PortCompare(Side.SOURCE, Op.EQ, 22));
        assertThat(matches("dst *:https", HTTPS_OUT)).isTrue();
    }

    @Test
    void precedenceNotOverAndOverOr() {
        FilterExpression a = new PortCompare(Side.DESTINATION, Op.EQ, 1);
        FilterExpression b = new PortCompare(Side.DESTINATION, Op.EQ, 2);
        FilterExpression c = new PortCompare(Side.DESTINATION, Op.EQ, 3);
        assertThat(parse("dport :1 or dport :2 and dport :3").expression()).isEqualTo(new Or(a, new And(b, c)));
        assertThat(parse("dport :1 and dport :2 or dport :3").expression()).isEqualTo(new Or(new And(a, b), c));
        assertThat(parse("not dport :1 and dport :2").expression()).isEqualTo(new And(new Not(a), b));
        assertThat(parse("! dport :1 || dport :2 && ! dport :3").expression())
                .isEqualTo(new Or(new Not(a), new And(b, new Not(c))));
        assertThat(parse("not ( dport :1 or dport :2 ) & dport :3").expression())
                .isEqualTo(new And(new Not(new Or(a, b)), c));
        assertThat(parse("not not dport :1").expression()).isEqualTo(new Not(new Not(a)));
        assertThat(parse("dport :1 | dport :2 | dport :3").expression()).isEqualTo(new Or(a, b, c));
    }

    @Test
    void implicitAndBetweenAdjacentTerms() {
        FilterExpression e = parse("dport = :80 sport = :1234").expression();
        assertThat(e).isEqualTo(new And(new PortCompare(Side.DESTINATION, Op.EQ, 80), new PortCompare(Side.SOURCE, Op.EQ, 1234)));
        assertThat(parse("( dport :1 ) ( dport :2 ) or dport :3").expression()).isEqualTo(new Or(
                new And(new PortCompare(Side.DESTINATION, Op.EQ, 1), new PortCompare(Side.DESTINATION, Op.EQ, 2)),
                new PortCompare(Side.DESTINATION, Op.EQ, 3)));
        assertThat(matches("dst 93.184.216.34 dport :443", HTTPS_OUT)).isTrue();
        assertThat(matches("dst 93.184.216.34 dport :80", HTTPS_OUT)).isFalse();
    }

    @Test
    void ipv4Hosts() {
        assertThat(matches("dst 93.184.216.34", HTTPS_OUT)).isTrue();
        assertThat(matches("dst = 93.184.216.0/24", HTTPS_OUT)).isTrue();
        assertThat(matches("dst 93.184.217.0/24", HTTPS_OUT)).isFalse();
        assertThat(matches("dst 93.184.216.34:443", HTTPS_OUT)).isTrue();
        assertThat(matches("dst 93.184.216.34:80", HTTPS_OUT)).isFalse();
        assertThat(matches("dst 93.184.216/24", HTTPS_OUT)).as("abbreviated").isTrue();
        assertThat(matches("dst 93.184.216", HTTPS_OUT)).as("abbreviated without length = /24").isTrue();
        assertThat(matches("src 10.0.0.0/8", HTTPS_OUT)).isTrue();
        assertThat(matches("src 0.0.0.0/0", HTTPS_OUT)).isTrue();
        assertThat(matches("dst 93.184.216.34/32:443", HTTPS_OUT)).isTrue();
        assertThat(matches("dst *:443", HTTPS_OUT)).isTrue();
        assertThat(matches("dst :443", HTTPS_OUT)).isTrue();
        assertThat(matches("dst *", HTTPS_OUT)).isTrue();
        assertThat(matches("dst 93.184.216.34:*", HTTPS_OUT)).isTrue();
        assertThat(matches("dst != 93.184.216.34", HTTPS_OUT)).isFalse();
        assertThat(matches("dst ne 1.2.3.4", HTTPS_OUT)).isTrue();
        assertThat(matches("dst inet:93.184.216.34", HTTPS_OUT)).isTrue();
        assertThat(matches("src 10.0.0.0/9", HTTPS_OUT)).isTrue();
        assertThat(matches("src 10.128.0.0/9", HTTPS_OUT)).isFalse();
    }

    @Test
    void ipv4PrefixMatchesMappedAddressesButNotOtherV6() {
        assertThat(matches("dst 10.0.0.0/8", MAPPED)).isTrue();
        assertThat(matches("src 10.0.0.5:8080", MAPPED)).isTrue();
        assertThat(matches("dst 10.0.0.0/8", V6)).isFalse();
        assertThat(matches("dst [::1]", HTTPS_OUT)).isFalse();
    }

    @Test
    void ipv6Hosts() {
        assertThat(matches("src [::1]:22", V6)).isTrue();
        assertThat(matches("src [::1]:23", V6)).isFalse();
        assertThat(matches("src [::1]", V6)).isTrue();
        assertThat(matches("dst [fe80::1]/64", V6)).isTrue();
        assertThat(matches("dst [fe80::]/10", V6)).isTrue();
        assertThat(matches("dst [fe80::1/64]", V6)).isTrue();
        assertThat(matches("dst [fe80::1]/64:60000", V6)).isTrue();
        assertThat(matches("dst [2001:db8::]/32", V6)).isFalse();
        assertThat(matches("dst fe80::1", V6)).as("bare IPv6").isTrue();
        assertThat(matches("dst fe80::/16", V6)).isTrue();
        assertThat(matches("src inet6:[::1]", V6)).isTrue();
        assertThat(matches("dst [*]:60000", V6)).isTrue();
        assertThat(matches("dst [::ffff:10.1.2.3]", MAPPED)).isTrue();
    }

    /** An AF_INET socket on loopback. */
    static final SocketEntry LOOP4 = tcp(SocketState.ESTABLISHED, "127.0.0.1", 37502, "127.0.0.1", 5000);
    /** An AF_INET6 socket on ::1. */
    static final SocketEntry LOOP6 = tcp(SocketState.ESTABLISHED, "::1", 6000, "::1", 59666);
    /**
     * A dual-stack server's socket to an IPv4 client, as the kernel layer delivers it: family AF_INET6 but
     * Inet4Address endpoints, because InetAddress.getByAddress turns ::ffff:a.b.c.d into an Inet4Address.
     */
    static final SocketEntry MAPPED_FROM_KERNEL = new SocketEntry(Netid.TCP, SocketEntry.AF_INET6,
            SocketState.ESTABLISHED, ep("127.0.0.1", 6000), ep("127.0.0.1", 36218), null, 0, 0, 0, 0, 1, 1, 0, null, null, null);
    /** The same socket with Inet6Address endpoints (::ffff:127.0.0.1). */
    static final SocketEntry MAPPED_V6_ADDRESS = tcp(SocketState.ESTABLISHED, "::ffff:127.0.0.1", 6000,
            "::ffff:127.0.0.1", 36218);

    @Test
    void ipv6PrefixMatchesOnlyIpv6Sockets() {
        // Checked against ss 6.1.0: `src [::ffff:127.0.0.1]` lists only the AF_INET6 socket.
        for (String f : List.of("src [::ffff:127.0.0.1]", "src ::ffff:127.0.0.1", "src inet6:[::ffff:127.0.0.1]",
                "src [::ffff:127.0.0.0]/104", "src ::ffff:0:0/96")) {
            assertThat(matches(f, MAPPED_FROM_KERNEL)).as(f + " on the AF_INET6 socket (Inet4Address)").isTrue();
            assertThat(matches(f, MAPPED_V6_ADDRESS)).as(f + " on the AF_INET6 socket (Inet6Address)").isTrue();
            assertThat(matches(f, LOOP4)).as(f + " on an AF_INET socket").isFalse();
        }
        // `src ::/0` in ss lists every IPv6 socket and no IPv4 one.
        for (String f : List.of("src [::]/0", "src [::/0]", "src ::/0", "src inet6:[::]/0", "src inet6:::/0")) {
            assertThat(matches(f, LOOP6)).as(f).isTrue();
            assertThat(matches(f, MAPPED_FROM_KERNEL)).as(f).isTrue();
            assertThat(matches(f, LOOP4)).as(f).isFalse();
            assertThat(matches(f, HTTPS_OUT)).as(f).isFalse();
            assertThat(matches(f, UNIX)).as(f).isFalse();
        }
        assertThat(matches("not src [::1]", LOOP4)).as("`not` is plain negation, as in ss").isTrue();
        assertThat(matches("src != [::1]", LOOP4)).as("!= compares IPv6 sockets only").isFalse();
        assertThat(matches("src != [::1]", MAPPED_FROM_KERNEL)).isTrue();
        assertThat(matches("src != [::1]", LOOP6)).isFalse();
    }

    @Test
    void ipv4PrefixMatchesIpv4SocketsAndMappedAddressesOfIpv6Sockets() {
        // ss 6.1.0: `dst 127.0.0.1` and `src 0.0.0.0/0` list the AF_INET sockets and the one on ::ffff:127.0.0.1.
        for (String f : List.of("dst 127.0.0.1", "dst 127.0.0.0/8", "src 0.0.0.0/0", "dst 127.0.0.1:36218")) {
            assertThat(matches(f, MAPPED_FROM_KERNEL)).as(f).isTrue();
            assertThat(matches(f, MAPPED_V6_ADDRESS)).as(f).isTrue();
        }
        assertThat(matches("dst 127.0.0.1", LOOP4)).isTrue();
        assertThat(matches("src 0.0.0.0/0", LOOP6)).as("::1 is not IPv4-mapped").isFalse();
        assertThat(matches("src 0.0.0.0/0", tcp(SocketState.LISTEN, "::", 6000, "::", 0))).isFalse();
        assertThat(matches("dst != 10.0.0.0/8", LOOP6)).isTrue();
    }

    @Test
    void familyQualifiersRestrictTheSocketFamily() {
        // ss 6.1.0: `dst inet:127.0.0.1` leaves out the AF_INET6 socket on ::ffff:127.0.0.1.
        for (String f : List.of("dst inet:127.0.0.1", "dst inet:127.0.0.0/8", "src inet:0.0.0.0/0", "src inet:*",
                "dst inet:*:5000", "dst inet::5000")) {
            assertThat(matches(f, LOOP4)).as(f).isTrue();
            assertThat(matches(f, MAPPED_FROM_KERNEL)).as(f).isFalse();
            assertThat(matches(f, MAPPED_V6_ADDRESS)).as(f).isFalse();
            assertThat(matches(f, LOOP6)).as(f).isFalse();
        }
        // ss 6.1.0: `src inet6:*` lists the IPv6 sockets only.
        for (String f : List.of("src inet6:*", "src inet6:[*]", "src inet6:[::1]", "src inet6:[*]:6000", "sport :6000 src inet6:*")) {
            assertThat(matches(f, LOOP6)).as(f).isTrue();
            assertThat(matches(f, LOOP4)).as(f).isFalse();
            assertThat(matches(f, UNIX)).as(f).isFalse();
        }
        assertThat(matches("src inet6:*", MAPPED_FROM_KERNEL)).isTrue();
        assertThat(matches("src != inet:127.0.0.1", LOOP6)).as("!= compares AF_INET sockets only").isFalse();
        assertThat(matches("src != inet:10.0.0.0/8", LOOP4)).isTrue();
        assertThat(matches("not src inet:127.0.0.1", LOOP6)).isTrue();
    }

    @Test
    void addressPrefixComparesInTheSocketsFamily() {
        AddressPrefix v4 = new AddressPrefix(new byte[] {127, 0, 0, 0}, 8);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        AddressPrefix v6 = new AddressPrefix(mapped, 128);
        InetAddress four = addr("127.0.0.1");
        InetAddress mappedSix = addr("::ffff:127.0.0.1");
        assertThat(v4.contains(four, SocketEntry.AF_INET)).isTrue();
        assertThat(v4.contains(four, SocketEntry.AF_INET6)).isTrue();
        assertThat(v4.contains(mappedSix, SocketEntry.AF_INET6)).isTrue();
        assertThat(v4.contains(addr("::1"), SocketEntry.AF_INET6)).isFalse();
        assertThat(v6.contains(four, SocketEntry.AF_INET)).isFalse();
        assertThat(v6.contains(four, SocketEntry.AF_INET6)).isTrue();
        assertThat(v6.contains(mappedSix, SocketEntry.AF_INET6)).isTrue();
        assertThat(new AddressPrefix(new byte[16], 0).contains(four, SocketEntry.AF_INET)).isFalse();
        assertThat(new AddressPrefix(new byte[16], 0).contains(four, SocketEntry.AF_INET6)).isTrue();
        // /100 ends inside the first IPv4 byte: 127 = 0111 1111, 112 = 0111 0000, 143 = 1000 1111.
        assertThat(new AddressPrefix(mapped, 100).contains(addr("112.1.2.3"), SocketEntry.AF_INET6)).isTrue();
        assertThat(new AddressPrefix(mapped, 100).contains(addr("143.0.0.1"), SocketEntry.AF_INET6)).isFalse();
        assertThat(new AddressPrefix(mapped, 104).contains(addr("127.16.0.1"), SocketEntry.AF_INET6)).isTrue();
        assertThat(new AddressPrefix(mapped, 108).contains(addr("127.16.0.1"), SocketEntry.AF_INET6)).isFalse();
        assertThat(v4.contains(four, SocketEntry.AF_UNIX)).isFalse();
    }

    @Test
    void unixGlobs() {
        assertThat(matches("src /run/*", UNIX)).isTrue();
        assertThat(matches("src /RUN/foo.SOCK", UNIX)).as("case-insensitive").isTrue();
        assertThat(matches("src /tmp/*", UNIX)).isFalse();
        assertThat(matches("src unix:/run/?oo.sock", UNIX)).isTrue();
        assertThat(matches("src /run/[a-f]oo.sock", UNIX)).isTrue();
        assertThat(matches("src /run/[!f]oo.sock", UNIX)).isFalse();
        assertThat(matches("dst /run/dbus/*", UNIX)).as("peer path through the environment").isTrue();
        assertThat(matches("src != /run/*", UNIX)).isFalse();
        assertThat(matches("src /run/*", HTTPS_OUT)).as("UNIX pattern never matches IP").isFalse();
        assertThat(matches("dport = :443", UNIX)).isFalse();
        assertThat(matches("dport != :443", UNIX)).as("no port, no comparison").isFalse();
        assertThat(matches("not dport = :443", UNIX)).isTrue();
        assertThat(matches("src @abstract*", unix(SocketState.LISTEN, "@abstract-name", 1, 0))).isTrue();
        assertThat(matches("src /tmp/a(1)", unix(SocketState.LISTEN, "/tmp/a(1)", 1, 0))).isTrue();
    }

    @Test
    void devices() {
        SocketEntry bound = withDevice(HTTPS_OUT, 2);
        assertThat(matches("dev = eth0", bound)).isTrue();
        assertThat(matches("dev eth0", bound)).isTrue();
        assertThat(matches("dev = 2", bound)).isTrue();
        assertThat(matches("dev != lo", bound)).isTrue();
        assertThat(matches("dev = lo", bound)).isFalse();
        assertThat(matches("dev = eth0", HTTPS_OUT)).isFalse();
    }

    @Test
    void stateClauses() {
        assertThat(parse("state established state time-wait").stateMask())
                .hasValue(SocketState.ESTABLISHED.maskBit() | SocketState.TIME_WAIT.maskBit());
        assertThat(parse("exclude listening").stateMask()).hasValue(StateNames.ALL & ~SocketState.LISTEN.maskBit());
        assertThat(parse("state connected exclude syn-sent").stateMask()).hasValue(StateNames.SYNCHRONIZED);
        assertThat(parse("state connected").stateMask()).hasValue(StateNames.ALL
                & ~(SocketState.LISTEN.maskBit() | SocketState.CLOSE.maskBit()));
        assertThat(parse("state syn-recv").stateMask())
                .hasValue(SocketState.SYN_RECV.maskBit() | SocketState.NEW_SYN_RECV.maskBit());
        assertThat(parse("state bucket").stateMask()).hasValue(StateNames.BUCKET);
        assertThat(parse("state big").stateMask()).hasValue(StateNames.ALL & ~StateNames.BUCKET);
        assertThat(parse("state all").stateMask()).hasValue(StateNames.ALL);
        assertThat(parse("state ESTAB").stateMask()).hasValue(SocketState.ESTABLISHED.maskBit());
        for (String name : StateNames.names()) {
            assertThat(parse("state " + name).stateMask()).as(name).isPresent();
        }
        ParsedFilter f = parse("state listening sport = :22");
        assertThat(f.stateMask()).hasValue(SocketState.LISTEN.maskBit());
        assertThat(f.expression()).isEqualTo(new PortCompare(Side.SOURCE, Op.EQ, 22));
    }

    /** iproute2's scan_state(): the names mean all but closed and listening, even though ss's default set is narrower. */
    @Test
    void connectedAndSynchronizedNamesAreSsNamesNotItsDefault() {
        SocketEntry timeWait = tcp(SocketState.TIME_WAIT, "127.0.0.1", 37496, "127.0.0.1", 5000);
        SocketEntry synRecv = tcp(SocketState.SYN_RECV, "127.0.0.1", 5000, "127.0.0.1", 37600);
        SocketEntry requestSock = tcp(SocketState.NEW_SYN_RECV, "127.0.0.1", 5000, "127.0.0.1", 37601);
        SocketEntry synSent = tcp(SocketState.SYN_SENT, "127.0.0.1", 37602, "127.0.0.1", 5000);
        SocketEntry listen = tcp(SocketState.LISTEN, "127.0.0.1", 5000, "0.0.0.0", 0);
        SocketEntry unconnected = dev.netwarden.conns.Sockets.inet(Netid.UDP, SocketState.CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);

        StateSelection connected = StateSelection.resolve(false, false, parse("state connected").stateMask());
        assertThat(connected.matches(timeWait)).isTrue();
        assertThat(connected.matches(synRecv)).isTrue();
        assertThat(connected.matches(requestSock)).isTrue();
        assertThat(connected.matches(synSent)).isTrue();
        assertThat(connected.matches(LOOP4)).isTrue();
        assertThat(connected.matches(listen)).isFalse();
        assertThat(connected.matches(unconnected)).isFalse();

        StateSelection synced = StateSelection.resolve(false, false, parse("state synchronized").stateMask());
        assertThat(synced.matches(timeWait)).isTrue();
        assertThat(synced.matches(synRecv)).isTrue();
        assertThat(synced.matches(requestSock)).isTrue();
        assertThat(synced.matches(synSent)).isFalse();
        assertThat(synced.matches(listen)).isFalse();
        assertThat(synced.matches(unconnected)).isFalse();

        StateSelection noFlags = StateSelection.resolve(false, false, OptionalInt.empty());
        assertThat(noFlags.matches(timeWait)).as("the no-flag default stays ss's SS_CONN").isFalse();
        assertThat(noFlags.matches(synRecv)).isFalse();
        assertThat(noFlags.matches(requestSock)).isFalse();
        assertThat(noFlags.matches(synSent)).isTrue();
        assertThat(noFlags.matches(LOOP4)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dport = foo | expected a port after 'dport =' at token 3 but got 'foo' | 3",
            "dport = | expected a port after 'dport =' at token 3 but the filter ended | 3",
            "dport = :99999 | expected a port after 'dport =' at token 3 but got ':99999' | 3",
            "state establishd | unknown state 'establishd' at token 2; valid states: established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, closed, close-wait, last-ack, listening, closing, all, connected, synchronized, bucket, big | 2",
            "state | expected a state name after 'state' at token 2 but the filter ended; valid states: established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, closed, close-wait, last-ack, listening, closing, all, connected, synchronized, bucket, big | 2",
            "( dport :1 | missing ')' for the '(' at token 1 | 4",
            "dport :1 ) | unbalanced ')' at token 3 | 3",
            "( ) | empty parentheses at token 2 | 2",
            "dport :1 or | expected a condition after 'or' at token 4 but the filter ended | 4",
            "not | expected a condition after 'not' at token 2 but the filter ended | 2",
            "and dport :1 | expected a condition at token 1 but got operator 'and' | 1",
            "dport :1 or or dport :2 | expected a condition at token 4 but got operator 'or' | 4",
            "dst example.com | expected an address after 'dst' at token 2 but got 'example.com' (give an IP address, [IPv6] address, :port or a UNIX path; host names are not resolved) | 2",
            "dst < 1.2.3.4 | '<' at token 2 cannot compare addresses; use = or != | 2",
            "dst 300.1.2.3 | expected an address after 'dst' at token 2 but got '300.1.2.3' (give an IP address, [IPv6] address, :port or a UNIX path; host names are not resolved) | 2",
            "dst [::1 | expected an address after 'dst' at token 2 but got '[::1' (give an IP address, [IPv6] address, :port or a UNIX path; host names are not resolved) | 2",
            "dst [fe80::1]/129 | expected an address after 'dst' at token 2 but got '[fe80::1]/129' (give an IP address, [IPv6] address, :port or a UNIX path; host names are not resolved) | 2",
            "dst 10.0.0.0/33 | expected an address after 'dst' at token 2 but got '10.0.0.0/33' (give an IP address, [IPv6] address, :port or a UNIX path; host names are not resolved) | 2",
            "dst inet6:1.2.3.4 | address 'inet6:1.2.3.4' at token 2 does not belong to family inet6 | 2",
            "dst link:eth0 | the link family at token 2 is not supported by netwarden | 2",
            "dev = wlan9 | unknown interface 'wlan9' at token 3 | 3",
            "fwmark = 1 | 'fwmark' at token 1 is not supported by netwarden | 1",
            "dprot = :1 | unknown condition 'dprot' at token 1; expected dport, sport, dst, src, dev, not or '(' | 1",
            "dport :1 state established | 'state' at token 3 must come before the expression, as in ss | 3",
    })
    void errorsNameTheTokenAndPosition(String filter, String message, int position) {
        assertThatThrownBy(() -> parse(filter))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessage(message)
                .extracting(e -> ((FilterSyntaxException) e).position())
                .isEqualTo(position);
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "( ".repeat(10_000) + "dport :1" + " )".repeat(10_000);
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(FilterSyntaxException.class).hasMessageContaining("nested deeper");
        String nots = "not ".repeat(10_000) + "dport :1";
        assertThatThrownBy(() -> parse(nots)).isInstanceOf(FilterSyntaxException.class);
        assertThat(parse("( ".repeat(100) + "dport :1" + " )".repeat(100)).expression())
                .isEqualTo(new PortCompare(Side.DESTINATION, Op.EQ, 1));
    }

    @Test
    void longFlatExpressionsDoNotRecurse() {
        String wide = String.join(" or ", java.util.Collections.nCopies(20_000, "dport :1"));
        assertThat(parse(wide).matches(HTTPS_OUT)).isFalse();
    }

    @Test
    void stateSelectionCombinesFlagsAndClauses() {
        assertThat(StateSelection.fromFlags(false, false).mask()).isEqualTo(StateNames.DEFAULT_CONNECTED);
        assertThat(StateSelection.fromFlags(false, true).mask())
                .isEqualTo(SocketState.LISTEN.maskBit() | SocketState.CLOSE.maskBit());
        assertThat(StateSelection.fromFlags(true, true).mask()).isEqualTo(StateNames.ALL);
        assertThat(StateSelection.resolve(true, false, OptionalInt.of(SocketState.LISTEN.maskBit())).mask())
                .as("explicit state clauses win").isEqualTo(SocketState.LISTEN.maskBit());
        assertThat(StateSelection.fromFlags(false, false).states()).doesNotContain(
                SocketState.LISTEN, SocketState.CLOSE, SocketState.TIME_WAIT, SocketState.SYN_RECV)
                .contains(SocketState.ESTABLISHED, SocketState.SYN_SENT, SocketState.CLOSE_WAIT);
    }

    @Test
    void listeningMeansUnconnectedForDatagramSockets() {
        StateSelection listening = new StateSelection(SocketState.LISTEN.maskBit());
        assertThat(listening.kernelMask(dev.netwarden.socket.Netid.TCP)).isEqualTo(SocketState.LISTEN.maskBit());
        assertThat(listening.kernelMask(dev.netwarden.socket.Netid.UDP))
                .isEqualTo(SocketState.LISTEN.maskBit() | SocketState.CLOSE.maskBit());
        SocketEntry udpServer = dev.netwarden.conns.Sockets.inet(dev.netwarden.socket.Netid.UDP, SocketState.CLOSE,
                "0.0.0.0", 53, "0.0.0.0", 0);
        assertThat(listening.matches(udpServer)).isTrue();
        assertThat(listening.matches(tcp(SocketState.CLOSE, "0.0.0.0", 1, "0.0.0.0", 0))).isFalse();
        assertThat(new StateSelection(SocketState.SYN_RECV.maskBit()).matches(
                tcp(SocketState.NEW_SYN_RECV, "10.0.0.1", 80, "10.0.0.2", 1234))).isTrue();
    }
}
