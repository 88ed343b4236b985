package dev.netwarden.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressSetTest {

    static AddressSet of(String... networks) {
        AddressSet.Builder b = new AddressSet.Builder();
        for (String n : networks) {
            b.add(IpNetwork.parse(n));
        }
        return b.build();
    }

    static boolean in(AddressSet set, String address) throws Exception {
        return set.contains(InetAddress.getByName(address));
    }

    @Test
    void ipv4CidrMembership() throws Exception {
        AddressSet set = of("10.0.0.0/8", "192.0.2.7", "198.51.100.128/25", "10.1.0.0/16");
        assertThat(in(set, "10.0.0.0")).isTrue();
        assertThat(in(set, "10.255.255.255")).isTrue();
        assertThat(in(set, "11.0.0.0")).isFalse();
        assertThat(in(set, "9.255.255.255")).isFalse();
        assertThat(in(set, "192.0.2.7")).isTrue();
        assertThat(in(set, "192.0.2.8")).isFalse();
        assertThat(in(set, "198.51.100.127")).isFalse();
        assertThat(in(set, "198.51.100.200")).isTrue();
        assertThat(in(set, "255.255.255.255")).isFalse();
        assertThat(set.ranges()).isEqualTo(3); // 10.1/16 merged into 10/8
        assertThat(in(of("0.0.0.0/0"), "255.255.255.255")).isTrue();
        assertThat(in(of("128.0.0.0/1"), "200.1.1.1")).isTrue();
        assertThat(in(of("128.0.0.0/1"), "127.1.1.1")).isFalse();
    }

    @Test
    void ipv6CidrMembership() throws Exception {
        AddressSet set = of("2001:db8::/32", "2001:db8:1::/48", "fd00::1", "::/128", "2a00:1450:4001::/64");
        assertThat(in(set, "2001:db8::1")).isTrue();
        assertThat(in(set, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(in(set, "2001:db9::")).isFalse();
        assertThat(in(set, "fd00::1")).isTrue();
        assertThat(in(set, "fd00::2")).isFalse();
        assertThat(in(set, "::")).isTrue();
        assertThat(in(set, "::1")).isFalse();
        assertThat(in(set, "2a00:1450:4001::ffff")).isTrue();
        assertThat(in(set, "2a00:1450:4001:1::")).isFalse();
        assertThat(in(set, "192.0.2.1")).isFalse();
        assertThat(in(of("::/0"), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(in(of("8000::/1"), "7fff::")).isFalse();
        assertThat(in(of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", "::/1"), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    }

    @Test
    void familiesAreSeparate() throws Exception {
        assertThat(in(of("0.0.0.0/0"), "::1")).isFalse();
        assertThat(in(of("::/0"), "1.2.3.4")).isFalse();
    }

    /** Random networks against IpNetwork.contains, a direct check of every range. */
    @Test
    void agreesWithADirectCheck() throws Exception {
        Random r = new Random(7);
        IpNetwork[] nets = new IpNetwork[300];
        AddressSet.Builder b = new AddressSet.Builder();
        for (int i = 0; i < nets.length; i++) {
            nets[i] = IpNetwork.parse((r.nextInt(4) + 10) + "." + r.nextInt(4) + "." + r.nextInt(256) + ".0/" + (16 + r.nextInt(17)));
            b.add(nets[i]);
        }
        AddressSet set = b.build();
        for (int i = 0; i < 20_000; i++) {
            InetAddress a = InetAddress.getByAddress(new byte[] {(byte) (10 + r.nextInt(4)), (byte) r.nextInt(4), (byte) r.nextInt(256), (byte) r.nextInt(256)});
            boolean expected = false;
            for (IpNetwork n : nets) {
                expected |= n.contains(a);
            }
            assertThat(set.contains(a)).as(a.toString()).isEqualTo(expected);
        }
    }

    @Test
    void networkParsing() {
        assertThat(IpNetwork.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
        assertThat(IpNetwork.parse("2001:db8:0:0:1::/64").toString()).isEqualTo("2001:db8::/64");
        assertThat(IpNetwork.parse("::ffff:10.0.0.0/104").toString()).isEqualTo("10.0.0.0/8");
        assertThatThrownBy(() -> IpNetwork.parse("1.2.3")).hasMessage("not an IP address");
        assertThatThrownBy(() -> IpNetwork.parse("1.2.3.4/")).hasMessage("bad prefix length");
        assertThatThrownBy(() -> IpNetwork.parse("::/129")).hasMessage("prefix length over 128");
        assertThatThrownBy(() -> IpNetwork.parse("example.com")).hasMessage("not an IP address");
    }
}
