package dev.netwarden.linux.sockdiag;

import dev.netwarden.socket.Netid;
import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * idiag_timer 3 marks a TCP TIME-WAIT mini-socket, whatever substate it shows (the monitor must not take
 * one showing FIN-WAIT-2 for a live connection). The bytes are a recorded reply with the timer and
 * state bytes set as inet_twsk_diag_fill sets them; PassiveMonitorLiveTest meets a real one.
 */
class TimeWaitMiniSocketTest {
    private static final int HDR = 16;

    private static SocketEntry parse(byte[] b, Netid netid) {
        return InetDiagParser.parseOne(MemorySegment.ofArray(b), HDR, b.length - HDR, netid);
    }

    @Test
    void timerThreeMarksATcpRowAsAMiniSocketAndKeepsItsSubstate() {
        byte[] b = Fixtures.bytes("lookup-tcp4.bin");
        SocketEntry full = parse(b, Netid.TCP);
        assertThat(full.timeWait()).as("a recorded full socket, timer %d", b[HDR + 2]).isFalse();

        b[HDR + 1] = 5; // TCP_FIN_WAIT2
        b[HDR + 2] = InetDiagParser.TIMER_TIME_WAIT;
        SocketEntry mini = parse(b, Netid.TCP);
        assertThat(mini.timeWait()).isTrue();
        assertThat(mini.state()).isEqualTo(SocketState.FIN_WAIT2);
        assertThat(mini.local()).isEqualTo(full.local());
        assertThat(mini.remote()).isEqualTo(full.remote());
        assertThat(parse(b, Netid.UDP).timeWait()).as("UDP has no mini-sockets").isFalse();

        for (int timer : new int[] {0, 1, 2, 4}) {
            b[HDR + 2] = (byte) timer;
            assertThat(parse(b, Netid.TCP).timeWait()).as("timer %d", timer).isFalse();
        }
    }
}
