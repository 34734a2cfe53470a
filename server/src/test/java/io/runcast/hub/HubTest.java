package io.runcast.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.TypeFilter;
import io.runcast.store.Retention;
import io.runcast.store.memory.MemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubTest {
    private final MemoryEventStore store = new MemoryEventStore();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Hub hub = new Hub(store, pool, timers, HubConfig.DEFAULT);

    { store.listener(hub); }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        timers.shutdownNow();
        store.close();
    }

    private void append(String run, String type) {
        store.append(run, List.of(EventDraft.of(type, null))).toCompletableFuture().join();
    }

    @Test
    void aNullFilter_isRefusedAtSubscribe_andTheRunsOtherSubscribersKeepGettingEvents() {
        RecordingSink healthy = new RecordingSink();
        hub.subscribe("nf", null, null, TypeFilter.ALL, healthy, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.subscribe("nf", null, null, null, new RecordingSink(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("TypeFilter.ALL");
        append("nf", "agent.thinking");
        append("nf", "agent.action");
        await().until(() -> healthy.seqs.size() == 2);
        assertThat(healthy.seqs).containsExactly(1L, 2L);
    }

    @Test
    void subscribeWithSince_replaysMissedThenLive() {
        for (int i = 0; i < 10; i++) append("r", "agent.thinking");
        RecordingSink sink = new RecordingSink();
        hub.subscribe("r", 4L, null, TypeFilter.ALL, sink, null);
        await().until(() -> sink.seqs.size() == 6);
        append("r", "agent.action");
        await().until(() -> sink.seqs.size() == 7);
        assertThat(sink.seqs).containsExactlyElementsOf(LongStream.rangeClosed(5, 11).boxed().toList());
        assertThat(sink.subscribed.get().recovered()).isTrue();
        assertThat(sink.subscribed.get().head()).isEqualTo(10);
    }

    @Test
    void resume_whileProducersAppendAtFullSpeed_noGapNoDuplicate() throws Exception {
        long seed = System.nanoTime();
        System.out.println("HubTest seed " + seed);
        Random rnd = new Random(seed);
        int producers = 4, perProducer = 2000;
        ExecutorService prod = Executors.newFixedThreadPool(producers);
        for (int p = 0; p < producers; p++) {
            prod.execute(() -> { for (int i = 0; i < perProducer; i++) append("hot", "answer.delta"); });
        }
        List<RecordingSink> sinks = new ArrayList<>();
        List<Long> sinces = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Thread.sleep(rnd.nextInt(3));
            long head = store.info("hot").map(x -> x.head()).orElse(0L);
            long since = head == 0 ? 0 : rnd.nextLong(head + 1);
            RecordingSink s = new RecordingSink();
            sinks.add(s);
            sinces.add(since);
            hub.subscribe("hot", since, null, TypeFilter.ALL, s, null);
        }
        prod.shutdown();
        assertThat(prod.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        append("hot", EventTypes.RUN_COMPLETED);
        long total = producers * perProducer + 1L;
        for (int i = 0; i < sinks.size(); i++) {
            RecordingSink s = sinks.get(i);
            assertThat(s.ended.await(10, TimeUnit.SECONDS)).as("sink %d ended (seed %d)", i, seed).isTrue();
            assertThat(s.seqs).as("sink %d since %d (seed %d)", i, sinces.get(i), seed)
                    .containsExactlyElementsOf(LongStream.rangeClosed(sinces.get(i) + 1, total).boxed().toList());
        }
        await().until(() -> hub.subscribers("hot") == 0);
    }

    @Test
    void liveEvent_isEncodedOnce_sameBytesToEverySubscriber() {
        RecordingSink a = new RecordingSink(), b = new RecordingSink();
        hub.subscribe("once", null, null, TypeFilter.ALL, a, null);
        hub.subscribe("once", null, null, TypeFilter.ALL, b, null);
        await().until(() -> a.subscribed.get() != null && b.subscribed.get() != null);
        append("once", "agent.thinking");
        await().until(() -> a.frames.size() == 1 && b.frames.size() == 1);
        assertThat(a.frames.get(0)).isSameAs(b.frames.get(0));
    }

    @Test
    void typeFilter_deliversOnlyMatchingAndTerminal() throws Exception {
        RecordingSink sink = new RecordingSink();
        hub.subscribe("f", null, null, TypeFilter.of(List.of("tool.*")), sink, null);
        await().until(() -> sink.subscribed.get() != null);
        append("f", "agent.thinking");
        append("f", "tool.call");
        append("f", "tool.result");
        append("f", EventTypes.RUN_COMPLETED);
        assertThat(sink.ended.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.types).containsExactly("tool.call", "tool.result", "run.completed");
        assertThat(sink.seqs).containsExactly(2L, 3L, 4L);
    }

    @Test
    void resumeFromBeforeRetainedWindow_notRecovered_andSaysWhereHistoryStarts() {
        MemoryEventStore small = new MemoryEventStore(new Retention(5, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)));
        Hub h = new Hub(small, pool, timers, HubConfig.DEFAULT);
        small.listener(h);
        for (int i = 0; i < 12; i++) small.append("t", List.of(EventDraft.of("log.line", null))).toCompletableFuture().join();
        RecordingSink sink = new RecordingSink();
        h.subscribe("t", 2L, null, TypeFilter.ALL, sink, null);
        await().until(() -> sink.seqs.size() == 5);
        assertThat(sink.subscribed.get().recovered()).isFalse();
        assertThat(sink.subscribed.get().first()).isEqualTo(8);
        assertThat(sink.seqs).containsExactly(8L, 9L, 10L, 11L, 12L);
        small.close();
    }

    @Test
    void resumeWithOtherEpoch_notRecovered_andGetsCurrentStreamFromStart() {
        for (int i = 0; i < 3; i++) append("e", "log.line");
        RecordingSink sink = new RecordingSink();
        hub.subscribe("e", 2L, "some-old-epoch", TypeFilter.ALL, sink, null);
        await().until(() -> sink.seqs.size() == 3);
        assertThat(sink.subscribed.get().recovered()).isFalse();
        assertThat(sink.seqs).containsExactly(1L, 2L, 3L);
    }

    @Test
    void subscribeToClosedRun_replaysAndEnds() throws Exception {
        append("c", "run.started");
        append("c", EventTypes.RUN_FAILED);
        RecordingSink sink = new RecordingSink();
        hub.subscribe("c", null, null, TypeFilter.ALL, sink, null);
        assertThat(sink.ended.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.seqs).containsExactly(1L, 2L);
        await().until(() -> hub.subscribers("c") == 0);
    }

    @Test
    void resumeOfClosedRun_afterItsTerminalEvent_endsAtOnce() throws Exception {
        append("done", "run.started");
        append("done", EventTypes.RUN_COMPLETED);
        RecordingSink sink = new RecordingSink();
        hub.subscribe("done", 2L, null, TypeFilter.ALL, sink, null);
        assertThat(sink.ended.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(sink.seqs).isEmpty();
        assertThat(sink.subscribed.get().recovered()).isTrue();
        await().until(() -> hub.subscribers("done") == 0);
    }

    @Test
    void liveEventsParkedDuringAStalledReplay_areBoundedInBytes() {
        for (int i = 0; i < 500; i++) append("p", "log.line");
        Hub h = new Hub(store, pool, timers, new HubConfig(100, 20_000, Duration.ofSeconds(30)));
        store.listener(h);
        RecordingSink sink = new RecordingSink();
        sink.writable = false; // the replay waits for demand at once; live events get parked
        h.subscribe("p", 0L, null, TypeFilter.ALL, sink, null);
        await().until(() -> sink.wake != null);
        String pad = "x".repeat(1000);
        for (int i = 0; i < 30 && sink.slow == null; i++) {
            store.append("p", List.of(EventDraft.of("log.line", io.runcast.event.Json.object().put("pad", pad)))).toCompletableFuture().join();
        }
        assertThat(sink.slow).contains("bytes");
        await().until(() -> h.subscribers("p") == 0);
        store.listener(hub);
    }

    @Test
    void replayToStalledSink_givesUpAsTooSlow() {
        for (int i = 0; i < 2000; i++) append("s", "log.line");
        Hub h = new Hub(store, pool, timers, new HubConfig(100, 1000, Duration.ofMillis(200)));
        RecordingSink sink = new RecordingSink();
        sink.writable = false;
        h.subscribe("s", 0L, null, TypeFilter.ALL, sink, null);
        await().until(() -> sink.slow != null);
        assertThat(sink.slow).contains("did not read its history replay");
        assertThat(sink.seqs).isEmpty();
        await().until(() -> h.subscribers("s") == 0);
    }
}
