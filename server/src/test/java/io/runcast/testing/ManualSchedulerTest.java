package io.runcast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
    private final ManualScheduler time = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void timersRunOnlyWhenTimeReachesThem_inDueOrder_seeingTheirDueTime() {
        time.schedule(() -> ran.add("b@" + time.clock().instant()), 200, TimeUnit.MILLISECONDS);
        time.schedule(() -> ran.add("a@" + time.clock().instant()), 100, TimeUnit.MILLISECONDS);
        time.schedule(() -> ran.add("c"), 200, TimeUnit.MILLISECONDS);
        time.advance(Duration.ofMillis(99));
        assertThat(ran).isEmpty();
        time.advance(Duration.ofMillis(150));
        assertThat(ran).containsExactly("a@2026-01-01T00:00:00.100Z", "b@2026-01-01T00:00:00.200Z", "c");
        assertThat(time.clock().instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00.249Z"));
        assertThat(time.pending()).isEmpty();
    }

    @Test
    void cancelledTimers_neverRun_andSayTheyWereCancelled() {
        ScheduledFuture<?> f = time.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);
        assertThat(f.cancel(false)).isTrue();
        time.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
        ManualScheduler.Timer<?> t = time.timers().get(0);
        assertThat(t.isCancelled()).isTrue();
        assertThat(t.runs()).isZero();
        assertThat(t.delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void periodicTimers_atFixedRate_andWithFixedDelay_reArm() {
        ScheduledFuture<?> rate = time.scheduleAtFixedRate(() -> ran.add("rate@" + time.clock().instant().toEpochMilli() % 1000), 100, 100, TimeUnit.MILLISECONDS);
        time.scheduleWithFixedDelay(() -> ran.add("delay"), 0, 250, TimeUnit.MILLISECONDS);
        time.advance(Duration.ofMillis(300));
        assertThat(ran).containsExactly("delay", "rate@100", "rate@200", "delay", "rate@300");
        rate.cancel(false);
        time.advance(Duration.ofMillis(200));
        assertThat(ran).endsWith("delay");
        assertThat(ran).filteredOn(s -> s.startsWith("rate")).hasSize(3);
    }

    @Test
    void immediateWork_runsAtOnceOffTheCallersThread_andShutdownRefusesMore() throws Exception {
        CompletableFuture<String> where = new CompletableFuture<>();
        time.execute(() -> where.complete(Thread.currentThread().getName()));
        assertThat(where.get(5, TimeUnit.SECONDS)).isNotEqualTo(Thread.currentThread().getName());
        time.schedule(() -> ran.add("never"), 1, TimeUnit.SECONDS);
        assertThat(time.shutdownNow()).hasSize(1);
        time.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
        assertThatThrownBy(() -> time.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> time.schedule(() -> { }, 1, TimeUnit.SECONDS)).isInstanceOf(RejectedExecutionException.class);
    }
}
