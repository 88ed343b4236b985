package dev.netwarden.conns;

import dev.netwarden.socket.SocketEntry;
import dev.netwarden.socket.SocketState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dump-to-join handoff between two real threads: every socket joined once, in dump order. */
class JoinHandoffTest {

    @Test
    void joinsEverySocketInDumpOrderAcrossBatchesWhileTheProducerStillAdds() throws Exception {
        List<Thread> joiners = new ArrayList<>();
        List<Connection> told = new ArrayList<>();
        JoinHandoff handoff = new JoinHandoff(told::add);
        Thread consumer = Thread.ofPlatform().start(() -> handoff.joinAll(s -> {
            joiners.add(Thread.currentThread());
            return List.of(new Owner(Sockets.process(s.local().port(), "p" + s.local().port(), "root", "/bin/x"), 3));
        }));
        List<SocketEntry> added = new ArrayList<>();
        for (int port = 1; port <= 2500; port++) { // two full batches and a partial one
            SocketEntry s = Sockets.tcp(SocketState.ESTABLISHED, "127.0.0.1", port, "127.0.0.2", 80);
            added.add(s);
            handoff.add(s);
        }
        handoff.finish();
        List<Connection> rows = handoff.rows();
        consumer.join();

        assertThat(rows).extracting(Connection::socket).containsExactlyElementsOf(added);
        assertThat(rows).allSatisfy(c -> assertThat(c.owners()).singleElement()
                .satisfies(o -> assertThat(o.process().pid()).isEqualTo(c.socket().local().port())));
        assertThat(joiners).hasSize(2500).allMatch(t -> t == consumer);
        assertThat(told).as("each joined row told once, in order, before rows() returns").containsExactlyElementsOf(rows);
    }

    @Test
    void aDumpThatFailedBeforeAnySocketStillEndsTheJoin() throws Exception {
        JoinHandoff handoff = new JoinHandoff(row -> { });
        Thread consumer = Thread.ofPlatform().start(() -> handoff.joinAll(s -> List.of()));
        handoff.finish();
        handoff.finish(); // a second call (a finally after a normal end) adds nothing
        assertThat(handoff.rows()).isEmpty();
        consumer.join(5000);
        assertThat(consumer.isAlive()).isFalse();
    }

    @Test
    void aFailingJoinReachesTheWaitingThread() {
        JoinHandoff handoff = new JoinHandoff(row -> { });
        Thread.ofPlatform().start(() -> handoff.joinAll(s -> {
            throw new IllegalStateException("process table broke");
        }));
        handoff.add(Sockets.tcp(SocketState.ESTABLISHED, "127.0.0.1", 1, "127.0.0.2", 80));
        handoff.finish();
        assertThatThrownBy(handoff::rows).isInstanceOf(IllegalStateException.class).hasMessage("process table broke");
    }
}
