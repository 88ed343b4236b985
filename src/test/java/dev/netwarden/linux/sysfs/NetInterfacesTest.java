package dev.netwarden.linux.sysfs;

import dev.netwarden.linux.CLocaleJava;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NetInterfacesTest {
    @TempDir
    Path root;

    private void iface(String name, String ifindex) throws Exception {
        Path dir = Files.createDirectory(root.resolve(name));
        if (ifindex != null) {
            Files.writeString(dir.resolve("ifindex"), ifindex);
        }
    }

    @Test
    void readsNamesAndIndexesAndSkipsEntriesWithoutAValidIndex() throws Exception {
        iface("lo", "1\n");
        iface("eth0", "2\n");
        iface("garbage", "x\n");
        iface("zero", "0\n");
        iface("noindex", null);
        Files.writeString(root.resolve("plainfile"), "1\n");
        NetInterfaces interfaces = NetInterfaces.read(root);
        assertThat(interfaces.indexOf("lo")).isEqualTo(1);
        assertThat(interfaces.indexOf("eth0")).isEqualTo(2);
        assertThat(interfaces.nameOf(2)).isEqualTo("eth0");
        assertThat(interfaces.indexOf("garbage")).isZero();
        assertThat(interfaces.indexOf("zero")).isZero();
        assertThat(interfaces.indexOf("noindex")).isZero();
        assertThat(interfaces.nameOf(3)).isNull();
    }

    @Test
    void missingRootIsAnEmptyTable() {
        NetInterfaces interfaces = NetInterfaces.read(root.resolve("absent"));
        assertThat(interfaces.nameOf(1)).isNull();
        assertThat(interfaces.indexOf("lo")).isZero();
    }

    @Test
    void theMachinesLoopbackIsIndexOne() {
        assertThat(NetInterfaces.current().nameOf(1)).isEqualTo("lo");
    }

    /** The name is made by sh from octal escapes, so this JVM never encodes it in its own locale. */
    @Test
    void nonAsciiNamesAreDecodedAsUtf8InTheCLocale() throws Exception {
        iface("lo", "1\n");
        Process sh = new ProcessBuilder("sh", "-c",
                "d=\"$1/$(printf 'd\\303\\274mmy')\" && mkdir \"$d\" && echo 7 > \"$d/ifindex\"", "sh", root.toString())
                .redirectErrorStream(true).start();
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).isZero();

        String out = CLocaleJava.run(NetInterfacesProbe.class, root.toString(), "1", "7");

        assertThat(out).contains("jnu=").doesNotContain("jnu=UTF-8");
        assertThat(out).contains("1=lo back=1\n").contains("7=d\\u00fcmmy back=7\n");
    }
}
