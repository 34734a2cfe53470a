package io.runcast.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.store.History;
import io.runcast.store.Retention;
import io.runcast.store.RunInfo;
import io.runcast.store.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The memory store's heap budget: what it drops first, and that its accounting stays within it. */
class MemoryBudgetTest {
    private static final long BUDGET = 256 * 1024;
    private static final String PAYLOAD = "x".repeat(2000); // about 4.4 KB per event by the store's estimate
    private final TestClock clock = new TestClock();
    private final List<MemoryEventStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(MemoryEventStore::close);
    }

    private MemoryEventStore open(Retention retention) {
        MemoryEventStore store = new MemoryEventStore(retention, clock);
        stores.add(store);
        return store;
    }

    private MemoryEventStore withBudget(long bytes) {
        return open(Retention.DEFAULT.withMemoryBudget(bytes));
    }

    private static EventDraft big(String type) {
        return new EventDraft(type, "s1", "a1", "{\"text\":\"" + PAYLOAD + "\"}", null);
    }

    private static void append(MemoryEventStore store, String run, EventDraft... drafts) {
        store.append(run, List.of(drafts)).toCompletableFuture().join();
    }

    private static List<Long> seqs(History h) {
        return h.events().stream().map(Event::seq).toList();
    }

    @Test
    void overBudget_dropsOldestClosedRunsFirst_keepsOpenRunsWhole_staysWithinBudget() {
        MemoryEventStore store = withBudget(BUDGET);
        append(store, "live", big("run.started"), big("step.progress"));
        List<String> closedRuns = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String run = "closed-" + i;
            closedRuns.add(run);
            append(store, run, big("run.started"), big("step.progress"), big("step.progress"), big("run.completed"));
            append(store, "live", big("step.progress"));
            assertThat(store.retainedBytes()).as("after run %d", i).isLessThanOrEqualTo(BUDGET);
        }
        List<String> kept = closedRuns.stream().filter(r -> store.info(r).isPresent()).toList();
        assertThat(kept).as("the newest closed runs are kept").isNotEmpty().contains("closed-19");
        assertThat(kept).as("the dropped runs are the oldest closed ones")
                .isEqualTo(closedRuns.subList(closedRuns.size() - kept.size(), closedRuns.size()));
        assertThat(kept.size()).isLessThan(closedRuns.size());
        History live = store.read("live", 0, 1000);
        assertThat(live.first()).isEqualTo(1);
        assertThat(seqs(live)).isEqualTo(LongStream.rangeClosed(1, 22).boxed().toList());
        assertThat(store.read(closedRuns.get(0), 0, 10).epoch()).isNull();
        append(store, closedRuns.get(0), big("run.started")); // a dropped run's id starts afresh
        assertThat(store.info(closedRuns.get(0)).orElseThrow().head()).isEqualTo(1);
    }

    @Test
    void onlyOpenRunsOverBudget_trimOldestEventsOfTheLargestRun_smallRunsKeepTheirStart() {
        MemoryEventStore store = withBudget(BUDGET);
        append(store, "small", big("run.started"), big("step.started"), big("step.progress"));
        append(store, "big", big("run.started"));
        for (int i = 0; i < 150; i++) {
            append(store, "big", big("step.progress"));
            assertThat(store.retainedBytes()).as("after event %d", i).isLessThanOrEqualTo(BUDGET);
        }
        History small = store.read("small", 0, 100);
        assertThat(seqs(small)).containsExactly(1L, 2L, 3L);
        History large = store.read("big", 0, 1000);
        assertThat(large.head()).isEqualTo(151);
        assertThat(large.first()).isGreaterThan(1);
        assertThat(seqs(large)).as("what is left is the newest, without gaps")
                .isEqualTo(LongStream.rangeClosed(large.first(), 151).boxed().toList());
        assertThat(large.events().size()).as("trimmed to just under the budget, not emptied").isGreaterThan(30);
        RunInfo info = store.info("big").orElseThrow();
        assertThat(info.first()).isEqualTo(large.first());
        assertThat(info.closed()).isFalse();
    }

    @Test
    void closedRunsGoBeforeAnyOpenRunIsTrimmed() {
        MemoryEventStore store = withBudget(BUDGET);
        append(store, "done", big("run.started"), big("step.progress"), big("run.completed"));
        append(store, "open", big("run.started"));
        for (int i = 0; i < 200 && store.info("done").isPresent(); i++) append(store, "open", big("step.progress"));
        assertThat(store.info("done")).as("dropped once the budget was reached").isEmpty();
        assertThat(store.read("open", 0, 1000).first()).isEqualTo(1);
        assertThat(store.retainedBytes()).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void accounting_givesBackEverythingTrimmedForgottenOrExpired() {
        MemoryEventStore store = open(new Retention(3, Duration.ofHours(2), Duration.ofHours(1), Duration.ofMinutes(10), BUDGET));
        for (int r = 0; r < 5; r++) {
            String run = "r" + r;
            for (int i = 0; i < 6; i++) append(store, run, big("step.progress").withKey(run + "-" + i)); // count limit pushes out
            append(store, run, big("step.progress").withKey(run + "-0")); // a duplicate costs nothing
            append(store, run, big("run.completed"));
        }
        append(store, "still-open", big("run.started").withKey("s"));
        assertThat(store.retainedBytes()).isPositive();
        clock.advance(Duration.ofHours(3));
        store.sweep();
        assertThat(store.list(10, false)).extracting(RunInfo::run).containsExactly("still-open");
        assertThat(store.read("still-open", 0, 10).events()).isEmpty(); // trimmed by age
        assertThat(store.retainedBytes()).as("only the open run's fixed cost is left").isEqualTo(Footprint.ofRun("still-open"));
    }

    @Test
    void refusedFirstBatch_leavesNoRunAndNoCharge() {
        MemoryEventStore store = withBudget(BUDGET);
        assertThat(store.append("r", List.of(big("run.completed"), big("step.progress"))).toCompletableFuture())
                .isCompletedExceptionally();
        assertThat(store.info("r")).isEmpty();
        assertThat(store.list(10, false)).isEmpty();
        assertThat(store.retainedBytes()).isZero();
    }

    @Test
    void defaultStore_keepsMoreThanTenThousandEventsOfARunningRun() {
        MemoryEventStore store = open(Retention.DEFAULT);
        List<EventDraft> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) batch.add(new EventDraft("token.delta", null, null, "{\"t\":\"a\"}", null));
        for (int i = 0; i < 12; i++) store.append("long", batch).toCompletableFuture().join();
        store.sweep();
        History h = store.read("long", 0, 5);
        assertThat(h.first()).isEqualTo(1);
        assertThat(h.events().get(0).seq()).isEqualTo(1);
        assertThat(store.info("long").orElseThrow().retained()).isEqualTo(12_000);
    }
}
