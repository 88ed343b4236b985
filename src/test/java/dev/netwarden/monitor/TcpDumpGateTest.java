package dev.netwarden.monitor;

import dev.netwarden.flow.Counters;
import dev.netwarden.flow.Transport;
import dev.netwarden.socket.InetEndpoint;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpDumpGateTest {
    private static Sighting socket(SocketState state, int port) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        return new Sighting(Transport.TCP, 2, new InetEndpoint(lo, port),
                new InetEndpoint(InetAddress.getByName("0.0.0.0"), 0), state, port, port, 0, Counters.UNKNOWN, SightingSource.DUMP, false);
    }

    @Test
    void aQuietListenerOnlyDumpStandsUntilTheCountOrANotificationMoves() throws Exception {
        TcpDumpGate gate = new TcpDumpGate(9);
        List<Sighting> rows = List.of(socket(SocketState.LISTEN, 80));
        assertThat(gate.standing(1, 0)).as("nothing dumped yet").isNull();
        gate.dumped(rows, true, 1, 1, 0, 0);
        assertThat(gate.standing(1, 0)).isEqualTo(rows);
        assertThat(gate.standing(2, 0)).as("a socket appeared").isNull();
        assertThat(gate.standing(1, 1)).as("a socket went").isNull();
        assertThat(gate.standing(-1, 0)).as("count unreadable").isNull();
        assertThat(gate.standing(1, 0)).as("the same again").isEqualTo(rows);
    }

    @Test
    void anEmptyNamespaceStandsToo() {
        TcpDumpGate gate = new TcpDumpGate(9);
        gate.dumped(List.of(), true, 0, 0, 5, 5);
        assertThat(gate.standing(0, 5)).isEmpty();
    }

    @Test
    void atMostMaxReusesInARowThenADump() {
        TcpDumpGate gate = new TcpDumpGate(3);
        gate.dumped(List.of(), true, 0, 0, 0, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(gate.standing(0, 0)).as("reuse %d", i).isNotNull();
        }
        assertThat(gate.standing(0, 0)).isNull();
        gate.dumped(List.of(), true, 0, 0, 0, 0);
        assertThat(gate.standing(0, 0)).as("counting starts again after a dump").isNotNull();
    }

    @Test
    void neverStandsOnEstablishedSocketsAnIncompleteDumpOrOneDuringWhichSomethingMoved() throws Exception {
        TcpDumpGate gate = new TcpDumpGate(9);
        gate.dumped(List.of(socket(SocketState.LISTEN, 80), socket(SocketState.ESTABLISHED, 40000)), true, 2, 2, 0, 0);
        assertThat(gate.standing(2, 0)).as("established: counters move").isNull();
        gate.dumped(List.of(), false, 0, 0, 0, 0);
        assertThat(gate.standing(0, 0)).as("incomplete").isNull();
        gate.dumped(List.of(), true, 0, 1, 0, 0);
        assertThat(gate.standing(1, 0)).as("a socket appeared during the dump").isNull();
        gate.dumped(List.of(), true, 0, 0, 0, 1);
        assertThat(gate.standing(0, 0)).as("a notification during the dump").isNull();
        gate.dumped(List.of(), true, -1, -1, 0, 0);
        assertThat(gate.standing(-1, 0)).as("count unknown").isNull();
    }

    @Test
    void timeWaitMiniSocketsBesideTheListenersLetTheDumpStandButARealFinWait2SocketDoesNot() throws Exception {
        TcpDumpGate gate = new TcpDumpGate(9);
        Sighting s = socket(SocketState.FIN_WAIT2, 40001);
        Sighting mini = new Sighting(s.transport(), s.family(), s.local(), s.remote(), s.state(), s.cookie(), 0, 0,
                s.counters(), s.source(), true);
        List<Sighting> rows = List.of(socket(SocketState.LISTEN, 80), mini);
        gate.dumped(rows, true, 1, 1, 0, 0);
        assertThat(gate.standing(1, 0)).as("a mini-socket is no flow").isEqualTo(rows);
        gate.dumped(List.of(socket(SocketState.LISTEN, 80), s), true, 2, 2, 0, 0);
        assertThat(gate.standing(2, 0)).as("a half-closed socket's counters move").isNull();
    }

    @Test
    void invalidateForcesTheNextDump() {
        TcpDumpGate gate = new TcpDumpGate(9);
        gate.dumped(List.of(), true, 0, 0, 0, 0);
        gate.invalidate();
        assertThat(gate.standing(0, 0)).isNull();
        assertThatThrownBy(() -> new TcpDumpGate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
