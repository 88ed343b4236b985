package dev.netwarden.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's small parts on their own: routing, sessions, the login throttle, the traffic ring. */
class WebPartsTest {
    private static final Route.Endpoint OK = r -> ApiResponse.ok(Json.object());

    @Test
    void routerPrefersLiteralsAndSays404Or405() {
        Router router = new Router(List.of(Route.get("/api/rules/{id}", OK), Route.post("/api/rules/test", OK),
                Route.delete("/api/rules/{id}", OK), Route.post("/api/rules/{id}/enable", OK)));
        assertThat(router.match("POST", "/api/rules/test").route().pattern()).isEqualTo("/api/rules/test");
        Router.Match m = router.match("GET", "/api/rules/test");
        assertThat(m.route().pattern()).isEqualTo("/api/rules/{id}");
        assertThat(m.params()).isEqualTo(Map.of("id", "test"));
        assertThat(router.match("HEAD", "/api/rules/x").route().method()).isEqualTo("GET");
        assertThatThrownBy(() -> router.match("GET", "/api/rules/x/y")).isInstanceOf(ApiError.class).hasMessageContaining("no such API endpoint");
        assertThatThrownBy(() -> router.match("GET", "/api/rules/")).isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> router.match("PUT", "/api/rules/x")).isInstanceOfSatisfying(Router.MethodNotAllowed.class,
                e -> assertThat(e.allowed()).containsExactly("GET", "DELETE"));
        assertThatThrownBy(() -> new Router(List.of(Route.get("/a", OK), Route.get("/a", OK)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionsExpireWhenIdleAndAreBounded() {
        AtomicLong now = new AtomicLong(1_000);
        Sessions s = new Sessions(Duration.ofMinutes(10), 3, now::get);
        Sessions.Session a = s.create();
        assertThat(a.id()).isNotEqualTo(a.csrf());
        assertThat(s.find(a.id())).isSameAs(a);
        now.addAndGet(Duration.ofMinutes(9).toMillis());
        assertThat(s.find(a.id())).isSameAs(a); // used: the idle clock restarts
        now.addAndGet(Duration.ofMinutes(9).toMillis());
        assertThat(s.find(a.id())).isSameAs(a);
        now.addAndGet(Duration.ofMinutes(11).toMillis());
        assertThat(s.find(a.id())).isNull();
        Sessions.Session b = s.create();
        Sessions.Session c = s.create();
        Sessions.Session d = s.create();
        s.find(b.id()); // b is now more recently used than c
        Sessions.Session e = s.create(); // the least recently used (c) goes
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.find(c.id())).isNull();
        assertThat(List.of(s.find(b.id()), s.find(d.id()), s.find(e.id()))).doesNotContainNull();
        assertThat(b.csrfMatches(b.csrf())).isTrue();
        assertThat(b.csrfMatches(c.csrf())).isFalse();
        assertThat(b.csrfMatches(null)).isFalse();
        assertThat(s.find(null)).isNull();
    }

    @Test
    void throttleRefusesAfterTooManyFailuresUntilTheWindowPasses() throws Exception {
        AtomicLong now = new AtomicLong(0);
        LoginThrottle t = new LoginThrottle(3, 60_000, 0, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(t.retryAfterSeconds()).isZero();
            t.failed();
        }
        assertThat(t.retryAfterSeconds()).isEqualTo(60);
        now.set(30_000);
        assertThat(t.retryAfterSeconds()).isEqualTo(30);
        now.set(60_000);
        assertThat(t.retryAfterSeconds()).isZero();
    }

    @Test
    void trafficRingKeepsAnHourOfSecondsInBoundedRows() {
        TrafficRing ring = new TrafficRing(3600, 4);
        long t0 = 1_800_000_000L;
        ring.record(t0, Map.of("/usr/bin/curl", new double[] {100, 10}, "/usr/bin/wget", new double[] {50, 5}));
        ring.record(t0 + 2, Map.of("/usr/bin/curl", new double[] {200, 20}));
        TrafficRing.Series s = ring.series(t0 + 2, 3, 8);
        assertThat(s.seconds()).containsExactly(t0, t0 + 1, t0 + 2);
        assertThat(s.in()).containsExactly(150, 0, 200);
        assertThat(s.out()).containsExactly(15, 0, 20);
        assertThat(s.apps().getFirst().key()).isEqualTo("/usr/bin/curl");
        assertThat(s.apps().getFirst().in()).containsExactly(100, 0, 200);
        // Top 1: the rest is "other".
        TrafficRing.Series top1 = ring.series(t0 + 2, 3, 1);
        assertThat(top1.apps()).extracting(TrafficRing.AppSeries::key).containsExactly("/usr/bin/curl", "other");
        assertThat(top1.apps().get(1).in()).containsExactly(50, 0, 0);
        // More apps than rows: the extra ones count as "other"; the totals stay exact.
        for (int i = 0; i < 10; i++) {
            ring.record(t0 + 3, Map.of("/app/" + i, new double[] {1, 1}));
        }
        assertThat(ring.appRows()).isLessThanOrEqualTo(5);
        // An hour later the old seconds are gone and idle apps give their rows back.
        ring.record(t0 + 3 + 3600, Map.of("/usr/bin/new", new double[] {7, 7}));
        assertThat(ring.series(t0 + 3 + 3600, 3600, 8).in()[0]).isZero();
        assertThat(ring.totals(t0 + 3 + 3600, 60)).containsOnlyKeys("/usr/bin/new");
        // Sixty minutes of totals and per-app rows of floats: bounded whatever the traffic.
        assertThat(ring.capacitySeconds()).isEqualTo(3600);
    }
}
