package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import static dev.netwarden.linux.proc.Fixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;

class SocketLinkTest {
    private static long inode(String s) {
        byte[] b = ascii(s);
        return SocketLink.inode(b, b.length);
    }

    @Test
    void socketLinks() {
        assertThat(inode("socket:[12345]")).isEqualTo(12345);
        assertThat(inode("socket:[0]")).isZero();
        assertThat(inode("socket:[9223372036854775807]")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void otherLinks() {
        for (String other : new String[]{"", "socket:[", "socket:[]", "socket:[12", "socket:[1a]", "pipe:[123]",
                "anon_inode:[eventfd]", "/dev/null", "socket:[9223372036854775808]", "socket:[99999999999999999999]",
                "Socket:[1]", "socket:[-1]"}) {
            assertThat(inode(other)).as(other).isEqualTo(SocketLink.NOT_A_SOCKET);
        }
    }

    @Test
    void onlyTheGivenLengthCounts() {
        byte[] b = ascii("socket:[42]garbage");
        assertThat(SocketLink.inode(b, 11)).isEqualTo(42);
        assertThat(SocketLink.inode(b, 12)).isEqualTo(SocketLink.NOT_A_SOCKET);
    }
}
