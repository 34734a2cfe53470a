package io.runcast.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.RunStatus;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventStore} must do, as tests. A store's test class extends this and says how to
 * open a store with a given retention and clock, and how to run a retention pass to completion.
 */
public abstract class EventStoreContract {
    protected final TestClock clock = new TestClock();
    private final List<EventStore> opened = new ArrayList<>();

    /** A new, empty store. */
    protected abstract EventStore create(Retention retention, TestClock clock) throws Exception;

    /** Runs a full retention pass and returns when it is done. */
    protected abstract void sweep(EventStore store) throws Exception;

    protected EventStore open(Retention retention) throws Exception {
        EventStore s = create(retention, clock);
        opened.add(s);
        return s;
    }

    protected EventStore open() throws Exception {
        return open(Retention.DEFAULT);
    }

    @AfterEach
    void closeStores() {
        opened.forEach(EventStore::close);
    }

    // ---- helpers -------------------------------------------------------------------------------

    protected static EventDraft draft(String type, String data) {
        return new EventDraft(type, null, null, data, null);
    }

    protected static EventDraft step(int n) {
        return new EventDraft("step.progress", "s1", "a1", "{\"n\":" + n + "}", null);
    }

    protected static List<Appended> append(EventStore store, String run, EventDraft... drafts) {
        return store.append(run, List.of(drafts)).toCompletableFuture().join();
    }

    protected static long appendSteps(EventStore store, String run, int count) {
        long last = 0;
        for (int i = 0; i < count; i++) last = append(store, run, step(i)).get(0).event().seq();
        return last;
    }

    protected static ErrorCode failureOf(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuncastException r) return r.code();
            throw e;
        }
        throw new AssertionError("expected a failure, got " + f.join());
    }

    protected static ErrorCode failureOf(EventStore store, String run, EventDraft... drafts) {
        return failureOf(store.append(run, List.of(drafts)).toCompletableFuture());
    }

    protected static List<Long> seqs(List<Event> events) {
        return events.stream().map(Event::seq).toList();
    }

    protected static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    protected static List<Event> all(EventStore store, String run) {
        return store.read(run, 0, Integer.MAX_VALUE).events();
    }

    // ---- sequencing ----------------------------------------------------------------------------

    @Test
    void append_assignsConsecutiveSeqsFromOne_andKeepsFields() throws Exception {
        EventStore store = open();
        List<Appended> first = append(store, "r1", new EventDraft("run.started", "s0", "planner", "{\"q\":\"x\"}", null));
        List<Appended> next = append(store, "r1", step(1), step(2));
        assertThat(first.get(0).event().seq()).isEqualTo(1);
        assertThat(next).extracting(a -> a.event().seq()).containsExactly(2L, 3L);
        assertThat(next).noneMatch(Appended::duplicate);
        Event stored = all(store, "r1").get(0);
        assertThat(stored).isEqualTo(first.get(0).event());
        assertThat(stored.step()).isEqualTo("s0");
        assertThat(stored.agent()).isEqualTo("planner");
        assertThat(stored.data()).isEqualTo("{\"q\":\"x\"}");
        assertThat(stored.time()).isEqualTo(clock.instant());
    }

    @Test
    void concurrentProducers_getGaplessSeqs_eachEventOnce_batchesContiguous() throws Exception {
        long seed = Long.getLong("runcast.seed", System.nanoTime());
        System.out.println("concurrentProducers seed=" + seed + " (rerun with -Druncast.seed=" + seed + ")");
        EventStore store = open();
        int producers = 8;
        int appendsEach = 150;
        String[] runs = {"a", "b", "c"};
        Map<String, List<List<Appended>>> acked = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int p = 0; p < producers; p++) {
            java.util.Random random = new java.util.Random(seed + p);
            int producer = p;
            threads.add(new Thread(() -> {
                List<CompletableFuture<List<Appended>>> inFlight = new ArrayList<>();
                for (int n = 0; n < appendsEach; n++) {
                    String run = runs[random.nextInt(runs.length)];
                    List<EventDraft> batch = new ArrayList<>();
                    int size = 1 + random.nextInt(4);
                    for (int i = 0; i < size; i++) batch.add(draft("x.load", "{\"p\":" + producer + ",\"n\":" + n + ",\"i\":" + i + "}"));
                    CompletableFuture<List<Appended>> f = store.append(run, batch).toCompletableFuture();
                    f.thenAccept(r -> acked.computeIfAbsent(run, k -> new CopyOnWriteArrayList<>()).add(r))
                            .exceptionally(e -> {
                                failures.incrementAndGet();
                                return null;
                            });
                    inFlight.add(f);
                    if (random.nextInt(4) == 0) { // sometimes pipeline, sometimes wait
                        inFlight.forEach(CompletableFuture::join);
                        inFlight.clear();
                    }
                }
                inFlight.forEach(CompletableFuture::join);
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertThat(failures).hasValue(0);
        long total = 0;
        for (String run : runs) {
            List<Event> events = all(store, run);
            assertThat(seqs(events)).isEqualTo(range(1, events.size()));
            assertThat(events.stream().map(Event::data).distinct().count()).isEqualTo(events.size());
            List<List<Appended>> batches = acked.getOrDefault(run, List.of());
            List<Event> ackedEvents = batches.stream().flatMap(List::stream).map(Appended::event).toList();
            assertThat(ackedEvents).containsExactlyInAnyOrderElementsOf(events);
            for (List<Appended> b : batches) {
                long firstSeq = b.get(0).event().seq();
                assertThat(b).extracting(a -> a.event().seq()).isEqualTo(range(firstSeq, firstSeq + b.size() - 1));
            }
            assertThat(store.info(run).orElseThrow().head()).isEqualTo(events.size());
            total += events.size();
        }
        assertThat(total).isPositive();
    }

    @Test
    void batch_withTerminalNotLast_isRefused_andAppendsNothing() throws Exception {
        EventStore store = open();
        append(store, "r", step(1));
        assertThat(failureOf(store, "r", draft("run.completed", "{}"), step(2))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(store.append("r", List.of()).toCompletableFuture()).isCompletedExceptionally();
        assertThat(store.info("r").orElseThrow().head()).isEqualTo(1);
        assertThat(store.info("r").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void terminal_closesRun_laterAppendsRefused() throws Exception {
        EventStore store = open();
        append(store, "r", draft("run.started", "{}"), step(1), draft("run.failed", "{\"reason\":\"x\"}"));
        assertThat(failureOf(store, "r", step(2))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(failureOf(store, "r", draft("run.completed", "{}"))).isEqualTo(ErrorCode.RUN_CLOSED);
        RunInfo info = store.info("r").orElseThrow();
        assertThat(info.status()).isEqualTo(RunStatus.FAILED);
        assertThat(info.closed()).isTrue();
        assertThat(info.head()).isEqualTo(3);
    }

    @Test
    void status_followsLifecycleEvents() throws Exception {
        EventStore store = open();
        append(store, "r", draft("run.started", "{}"));
        assertThat(store.info("r").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        append(store, "r", draft("run.paused", "{}"));
        assertThat(store.info("r").orElseThrow().status()).isEqualTo(RunStatus.PAUSED);
        append(store, "r", draft("run.resumed", "{}"), draft("run.cancelled", "{}"));
        assertThat(store.info("r").orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    // ---- commit notification -------------------------------------------------------------------

    @Test
    void listener_hearsEachRunInSeqOrder_afterEventsAreReadable_beforeTheAck() throws Exception {
        EventStore store = open();
        Map<String, AtomicLong> heard = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        store.listener((run, events) -> {
            if (inside.computeIfAbsent(run, r -> new AtomicInteger()).incrementAndGet() != 1) problems.add("concurrent " + run);
            AtomicLong last = heard.computeIfAbsent(run, r -> new AtomicLong());
            for (Event e : events) {
                if (e.seq() != last.get() + 1) problems.add(run + ": heard " + e.seq() + " after " + last.get());
                last.set(e.seq());
            }
            List<Event> readable = store.read(run, events.get(0).seq() - 1, events.size()).events();
            if (!readable.equals(events)) problems.add(run + ": not readable when notified: " + seqs(events));
            inside.get(run).decrementAndGet();
        });
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    String run = "r" + (i % 2);
                    List<Appended> r = append(store, run, step(i), step(i));
                    long seq = r.get(1).event().seq();
                    if (heard.get(run).get() < seq) problems.add(run + ": acked " + seq + " before notified");
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        assertThat(problems).isEmpty();
        assertThat(heard.get("r0")).hasValue(400);
        assertThat(heard.get("r1")).hasValue(400);
    }

    // ---- reading -------------------------------------------------------------------------------

    @Test
    void read_pagesThroughHistory() throws Exception {
        EventStore store = open();
        appendSteps(store, "r", 25);
        History h = store.read("r", 0, 10);
        assertThat(seqs(h.events())).isEqualTo(range(1, 10));
        assertThat(h.head()).isEqualTo(25);
        assertThat(h.first()).isEqualTo(1);
        assertThat(h.epoch()).isEqualTo(store.info("r").orElseThrow().epoch());
        assertThat(seqs(store.read("r", 10, 10).events())).isEqualTo(range(11, 20));
        assertThat(seqs(store.read("r", 20, 10).events())).isEqualTo(range(21, 25));
        assertThat(store.read("r", 25, 10).events()).isEmpty();
        assertThat(store.read("r", 3, 0).events()).isEmpty();
        History unknown = store.read("nope", 0, 10);
        assertThat(unknown.epoch()).isNull();
        assertThat(unknown.events()).isEmpty();
        assertThat(unknown.head()).isZero();
    }

    @Test
    void infoAndList_newestFirst_limit_openOnly() throws Exception {
        EventStore store = open();
        assertThat(store.info("r1")).isEmpty();
        assertThat(store.list(10, false)).isEmpty();
        for (String run : List.of("r1", "r2", "r3")) {
            append(store, run, draft("run.started", "{}"));
            clock.advance(Duration.ofSeconds(1));
        }
        append(store, "r2", draft("run.completed", "{}"));
        assertThat(store.list(10, false)).extracting(RunInfo::run).containsExactly("r3", "r2", "r1");
        assertThat(store.list(2, false)).extracting(RunInfo::run).containsExactly("r3", "r2");
        assertThat(store.list(10, true)).extracting(RunInfo::run).containsExactly("r3", "r1");
        RunInfo r2 = store.info("r2").orElseThrow();
        assertThat(r2.head()).isEqualTo(2);
        assertThat(r2.first()).isEqualTo(1);
        assertThat(r2.createdAt()).isEqualTo(clock.instant().minusSeconds(2));
        assertThat(r2.updatedAt()).isEqualTo(clock.instant());
        assertThat(r2.epoch()).isNotBlank().isNotEqualTo(store.info("r1").orElseThrow().epoch());
        appendSteps(store, "r1", 3);
        assertThat(store.info("r1").orElseThrow().epoch()).isEqualTo(store.list(10, false).get(2).epoch());
    }

    // ---- idempotency ---------------------------------------------------------------------------

    @Test
    void idempotentRepeat_returnsOriginal_appendsNothing_notifiesNothing() throws Exception {
        EventStore store = open();
        List<Event> notified = new CopyOnWriteArrayList<>();
        store.listener((run, events) -> notified.addAll(events));
        Appended original = append(store, "r", step(1).withKey("k1")).get(0);
        Appended repeat = append(store, "r", step(1).withKey("k1")).get(0);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.event()).isEqualTo(original.event());
        List<Appended> mixed = append(store, "r", step(1).withKey("k1"), step(2).withKey("k2"), step(3).withKey("k2"));
        assertThat(mixed).extracting(Appended::duplicate).containsExactly(true, false, true);
        assertThat(mixed).extracting(a -> a.event().seq()).containsExactly(1L, 2L, 2L);
        assertThat(store.info("r").orElseThrow().head()).isEqualTo(2);
        assertThat(seqs(notified)).containsExactly(1L, 2L);
        assertThat(append(store, "other", step(1).withKey("k1")).get(0).duplicate()).isFalse(); // keys are per run
    }

    @Test
    void idempotentRetryOfTerminal_afterClose_returnsOriginal() throws Exception {
        EventStore store = open();
        Appended done = append(store, "r", draft("run.completed", "{}").withKey("end")).get(0);
        Appended retry = append(store, "r", draft("run.completed", "{}").withKey("end")).get(0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.event().seq()).isEqualTo(done.event().seq());
        assertThat(failureOf(store, "r", draft("run.completed", "{}").withKey("end"), step(1))).isEqualTo(ErrorCode.RUN_CLOSED);
    }

    @Test
    void idempotencyKey_forgottenAfterItsWindow() throws Exception {
        EventStore store = open(new Retention(100, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10)));
        append(store, "r", step(1).withKey("k"));
        clock.advance(Duration.ofMinutes(9));
        assertThat(append(store, "r", step(1).withKey("k")).get(0).duplicate()).isTrue();
        clock.advance(Duration.ofMinutes(2));
        sweep(store);
        Appended late = append(store, "r", step(1).withKey("k")).get(0);
        assertThat(late.duplicate()).isFalse();
        assertThat(late.event().seq()).isEqualTo(2);
        assertThat(append(store, "r", step(1).withKey("k")).get(0).event().seq()).isEqualTo(2);
    }

    @Test
    void idempotencyKey_outlivesTrimmingOfItsEvent() throws Exception {
        EventStore store = open(new Retention(2, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10)));
        Appended original = append(store, "r", step(0).withKey("k")).get(0);
        appendSteps(store, "r", 5);
        sweep(store);
        assertThat(store.info("r").orElseThrow().first()).isEqualTo(5);
        Appended repeat = append(store, "r", step(0).withKey("k")).get(0);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.event().seq()).isEqualTo(original.event().seq());
        assertThat(repeat.event().id()).isEqualTo(original.event().id());
    }

    // ---- retention -----------------------------------------------------------------------------

    @Test
    void retentionByCount_keepsNewest_historySaysWhereItStarts() throws Exception {
        EventStore store = open(new Retention(10, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10)));
        appendSteps(store, "r", 25);
        sweep(store);
        History h = store.read("r", 0, 100);
        assertThat(seqs(h.events())).isEqualTo(range(16, 25));
        assertThat(h.first()).isEqualTo(16);
        assertThat(h.covers(14)).isFalse();
        assertThat(h.covers(15)).isTrue();
        assertThat(store.info("r").orElseThrow().first()).isEqualTo(16);
        assertThat(store.info("r").orElseThrow().retained()).isEqualTo(10);
        assertThat(appendSteps(store, "r", 1)).isEqualTo(26); // seqs continue
    }

    @Test
    void retentionByAge_trimsOldEvents() throws Exception {
        EventStore store = open(new Retention(1000, Duration.ofHours(1), Duration.ZERO, Duration.ofMinutes(10)));
        appendSteps(store, "r", 5);
        appendSteps(store, "young", 2);
        clock.advance(Duration.ofMinutes(50));
        appendSteps(store, "r", 3);
        clock.advance(Duration.ofMinutes(20));
        sweep(store);
        History h = store.read("r", 0, 100);
        assertThat(seqs(h.events())).isEqualTo(range(6, 8));
        assertThat(h.first()).isEqualTo(6);
        History young = store.read("young", 0, 100);
        assertThat(young.events()).isEmpty();
        assertThat(young.first()).isEqualTo(3);
        assertThat(young.head()).isEqualTo(2);
        assertThat(appendSteps(store, "young", 1)).isEqualTo(3);
        assertThat(store.read("young", 0, 100).first()).isEqualTo(3);
    }

    @Test
    void closedRun_expiresAfterTtl_thenItsIdStartsAfreshWithNewEpoch() throws Exception {
        EventStore store = open(new Retention(1000, Duration.ZERO, Duration.ofHours(1), Duration.ofMinutes(10)));
        append(store, "done", draft("run.started", "{}"), draft("run.completed", "{}"));
        append(store, "open", draft("run.started", "{}"));
        String epoch = store.info("done").orElseThrow().epoch();
        clock.advance(Duration.ofMinutes(30));
        sweep(store);
        assertThat(store.info("done")).isPresent();
        clock.advance(Duration.ofMinutes(31));
        sweep(store);
        assertThat(store.info("done")).isEmpty();
        assertThat(store.read("done", 0, 10).events()).isEmpty();
        assertThat(store.list(10, false)).extracting(RunInfo::run).containsExactly("open");
        assertThat(append(store, "done", draft("run.started", "{}")).get(0).event().seq()).isEqualTo(1);
        assertThat(store.info("done").orElseThrow().epoch()).isNotEqualTo(epoch);
    }

    // ---- lifecycle -----------------------------------------------------------------------------

    @Test
    void close_thenAppend_failsUnavailable() throws Exception {
        EventStore store = open();
        append(store, "r", step(1));
        store.close();
        assertThat(failureOf(store, "r", step(2))).isEqualTo(ErrorCode.UNAVAILABLE);
        store.close(); // idempotent
    }

    @Test
    void append_withInvalidBatch_throwsNothingSynchronously() throws Exception {
        EventStore store = open();
        assertThatThrownBy(() -> store.append("r", List.of()).toCompletableFuture().join())
                .hasCauseInstanceOf(RuncastException.class);
    }
}
