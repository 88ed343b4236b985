package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamespaceLinkTest {
    private static long inode(String target, String type) {
        byte[] b = target.getBytes(StandardCharsets.US_ASCII);
        return NamespaceLink.inode(b, b.length, type);
    }

    @Test
    void readsTheInodeOfALinkOfTheGivenType() {
        assertThat(inode("net:[4026531840]", "net")).isEqualTo(4026531840L);
        assertThat(inode("net:[0]", "net")).isZero();
        assertThat(inode("mnt:[4026531841]", "mnt")).isEqualTo(4026531841L);
    }

    @Test
    void anythingElseIsMinusOne() {
        assertThat(inode("mnt:[4026531841]", "net")).isEqualTo(-1);
        assertThat(inode("net:[]", "net")).isEqualTo(-1);
        assertThat(inode("net:[12a]", "net")).isEqualTo(-1);
        assertThat(inode("net:[12", "net")).isEqualTo(-1);
        assertThat(inode("net[12]", "net")).isEqualTo(-1);
        assertThat(inode("net:[99999999999999999999]", "net")).isEqualTo(-1);
        assertThat(inode("", "net")).isEqualTo(-1);
        assertThat(inode("/usr/bin/sleep", "net")).isEqualTo(-1);
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] b = "net:[77]xyz".getBytes(StandardCharsets.US_ASCII);
        assertThat(NamespaceLink.inode(b, 8, "net")).isEqualTo(77);
        assertThatThrownBy(() -> NamespaceLink.inode(b, 99, "net")).isInstanceOf(IllegalArgumentException.class);
    }
}
