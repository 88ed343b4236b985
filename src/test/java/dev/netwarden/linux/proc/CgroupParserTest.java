package dev.netwarden.linux.proc;

import org.junit.jupiter.api.Test;

import static dev.netwarden.linux.proc.Fixtures.ascii;
import static dev.netwarden.linux.proc.Fixtures.real;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CgroupParserTest {
    private static final String ID = "3f4e1b2a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
    private static final String ID2 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void hybridHostOfThisMachine() {
        // recorded: v1 hierarchies plus "0::/"
        assertThat(CgroupParser.parse(real("init.cgroup"))).isEqualTo(new CgroupMembership("/", null));
    }

    @Test
    void v2Only() {
        assertThat(CgroupParser.parse(ascii("0::/user.slice/user-1000.slice/session-3.scope\n")))
                .isEqualTo(new CgroupMembership("/user.slice/user-1000.slice/session-3.scope", null));
    }

    @Test
    void v1OnlyTakesTheFirstLine() {
        assertThat(CgroupParser.parse(ascii("12:pids:/a\n11:memory:/b\n")).path()).isEqualTo("/a");
    }

    @Test
    void pathMayContainColons() {
        assertThat(CgroupParser.parse(ascii("0::/x:y:z\n")).path()).isEqualTo("/x:y:z");
    }

    @Test
    void containerIdsOfTheCommonRuntimes() {
        String[] paths = {
                "/system.slice/docker-" + ID + ".scope",
                "/docker/" + ID,
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901.slice/cri-containerd-" + ID + ".scope",
                "/kubepods/besteffort/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901/" + ID,
                "/machine.slice/libpod-" + ID + ".scope/container",
                "/kubepods.slice/kubepods-pod1.slice/crio-" + ID + ".scope",
        };
        for (String path : paths) {
            assertThat(CgroupParser.parse(ascii("0::" + path + "\n"))).as(path).isEqualTo(new CgroupMembership(path, ID));
        }
    }

    @Test
    void nestedContainersGiveTheInnermost() {
        assertThat(CgroupParser.containerId("/docker/" + ID2 + "/docker/" + ID)).isEqualTo(ID);
    }

    @Test
    void notAContainerId() {
        assertThat(CgroupParser.containerId("/docker/" + ID.substring(1))).isNull();          // 63
        assertThat(CgroupParser.containerId("/docker/" + ID + "0")).isNull();                 // 65
        assertThat(CgroupParser.containerId("/docker/x" + ID)).isNull();                      // glued to a word
        assertThat(CgroupParser.containerId("/docker/" + ID.toUpperCase())).isNull();
        assertThat(CgroupParser.containerId("")).isNull();
    }

    @Test
    void hybridHostFindsTheIdInAV1Line() {
        byte[] b = ascii("3:cpu:/docker/" + ID + "\n0::/\n");
        assertThat(CgroupParser.parse(b)).isEqualTo(new CgroupMembership("/", ID));
    }

    @Test
    void rejectsBadInput() {
        for (String bad : new String[]{"", "\n\n", "garbage\n", "0:/x\n", "0::/\nbad\n"}) {
            assertThatThrownBy(() -> CgroupParser.parse(ascii(bad))).as(bad).isInstanceOf(MalformedProcFileException.class);
        }
    }
}
