package io.runcast.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.event.EventDraft;
import io.runcast.event.TypeFilter;
import io.runcast.store.EventStore;
import io.runcast.store.Retention;
import io.runcast.store.memory.MemoryEventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demand-driven replay: it sends only what a sink asks for, waits without a thread, fills holes off the committing thread. */
class CatchUpTest {
    private final MemoryEventStore store = new MemoryEventStore();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        timers.shutdownNow();
        store.close();
    }

    private static void append(EventStore s, String run, int count) {
        for (int i = 0; i < count; i++) s.append(run, List.of(EventDraft.of("log.line", null))).toCompletableFuture().join();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void replay_sendsOnlyWhileTheSinkIsReady_andGoesOnFromItsCallback() {
        append(store, "d", 2000);
        Hub hub = new Hub(store, pool, timers, new HubConfig(100, 1 << 20, Duration.ofSeconds(60)));
        store.listener(hub);
        RecordingSink sink = new RecordingSink();
        sink.readyFor = 150;
        hub.subscribe("d", 0L, null, TypeFilter.ALL, sink, null);
        await().until(() -> sink.wake != null);
        assertThat(sink.seqs).isEqualTo(range(1, 150)); // asked before every event: not one more
        sink.readyFor = 400;
        sink.drained();
        await().until(() -> sink.wake != null);
        assertThat(sink.seqs).isEqualTo(range(1, 400));
        sink.readyFor = Integer.MAX_VALUE;
        sink.drained();
        await().until(() -> sink.seqs.size() == 2000);
        append(store, "d", 1);
        await().until(() -> sink.seqs.size() == 2001);
        assertThat(sink.seqs).isEqualTo(range(1, 2001));
    }

    @Test
    void replayWaitingForASlowSink_holdsNoThread_soAnotherReplayRunsOnTheSameSingleThread() {
        append(store, "w", 1000);
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            Hub hub = new Hub(store, one, timers, new HubConfig(100, 1 << 20, Duration.ofSeconds(60)));
            store.listener(hub);
            RecordingSink stalled = new RecordingSink();
            stalled.writable = false;
            hub.subscribe("w", 0L, null, TypeFilter.ALL, stalled, null);
            await().until(() -> stalled.wake != null);
            RecordingSink healthy = new RecordingSink();
            hub.subscribe("w", 0L, null, TypeFilter.ALL, healthy, null);
            await().atMost(Duration.ofSeconds(20)).until(() -> healthy.seqs.size() == 1000);
            assertThat(stalled.slow).as("the stalled replay is still waiting, not cut off").isNull();
            stalled.drained();
            await().until(() -> stalled.seqs.size() == 1000);
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void holeInTheLiveNotifications_isFilledFromTheStore_offTheCommittingThread() {
        HeldBackStore held = new HeldBackStore();
        try {
            Hub hub = new Hub(held, pool, timers, HubConfig.DEFAULT);
            held.listener(hub);
            RecordingSink sink = new RecordingSink();
            Subscription sub = hub.subscribe("g", null, null, TypeFilter.ALL, sink, null);
            await().until(() -> sub.state == Subscription.State.LIVE);
            append(held, "g", 3);
            held.holdBack = true; // 4 and 5 are stored but the hub is not told
            append(held, "g", 2);
            held.holdBack = false;
            int readsBefore = held.readers.size();
            append(held, "g", 1); // told of 6 while it last passed 3
            await().until(() -> sink.seqs.size() == 6);
            assertThat(sink.seqs).isEqualTo(range(1, 6));
            List<Thread> fills = held.readers.subList(readsBefore, held.readers.size());
            assertThat(fills).isNotEmpty().doesNotContain(Thread.currentThread());
            append(held, "g", 1);
            await().until(() -> sink.seqs.size() == 7);
        } finally {
            held.close();
        }
    }

    @Test
    void historyTrimmedWhileTheClientCatchesUp_cutsItOff_neverASilentGap() {
        MemoryEventStore small = new MemoryEventStore(new Retention(50, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)));
        try {
            Hub hub = new Hub(small, pool, timers, HubConfig.DEFAULT);
            small.listener(hub);
            append(small, "t", 50);
            RecordingSink sink = new RecordingSink();
            sink.readyFor = 10;
            hub.subscribe("t", 0L, null, TypeFilter.ALL, sink, null);
            await().until(() -> sink.wake != null);
            assertThat(sink.subscribed.get().recovered()).isTrue();
            append(small, "t", 100); // retained now: 101..150; 11..100 are gone
            sink.readyFor = Integer.MAX_VALUE;
            sink.drained();
            await().until(() -> sink.slow != null);
            assertThat(sink.slow).contains("trimmed");
            assertThat(sink.seqs).isEqualTo(range(1, 10));
            await().until(() -> hub.subscribers("t") == 0);
        } finally {
            small.close();
        }
    }
}
