package io.runcast.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.event.EventDraft;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.hub.Sink;
import io.runcast.hub.Subscribed;
import io.runcast.hub.Subscription;
import io.runcast.protocol.RuncastException;
import io.runcast.store.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming through the hub against the SQLite store: after a restart, after losing the file, after trimming. */
class SqliteResumeTest {
    @TempDir
    Path dir;
    private final ExecutorService replay = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        replay.shutdownNow();
        timers.shutdownNow();
    }

    /** Records the subscribed answer and the delivered seqs. */
    static final class Recorder implements Sink {
        final AtomicReference<Subscribed> subscribed = new AtomicReference<>();
        final List<Long> seqs = new CopyOnWriteArrayList<>();

        @Override public void subscribed(Subscription s, Subscribed info) { subscribed.set(info); }
        @Override public void event(Subscription s, EncodedEvent e) { seqs.add(e.seq()); }
        @Override public void end(Subscription s, long seq) {}
        @Override public void failed(Subscription s, RuncastException e) { throw new AssertionError(e); }
        @Override public boolean ready(Runnable onReady) { return true; }
        @Override public void tooSlow(String why) { throw new AssertionError(why); }
    }

    private static void append(SqliteEventStore store, String run, int count) {
        for (int i = 0; i < count; i++) {
            store.append(run, List.of(EventDraft.of("step.progress", null))).toCompletableFuture().join();
        }
    }

    private Recorder subscribe(SqliteEventStore store, String run, long since, String epoch) {
        Hub hub = new Hub(store, replay, timers, HubConfig.DEFAULT);
        store.listener(hub);
        Recorder r = new Recorder();
        hub.subscribe(run, since, epoch, TypeFilter.ALL, r, null);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> r.subscribed.get() != null);
        return r;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void afterRestart_resumeIsRecovered_andDeliversExactlyWhatWasMissed_thenLive() {
        String epoch;
        try (SqliteEventStore store = SqliteEventStore.open(dir, Retention.DEFAULT, SyncPolicy.NORMAL)) {
            append(store, "r", 30);
            epoch = store.info("r").orElseThrow().epoch();
        }
        try (SqliteEventStore store = SqliteEventStore.open(dir, Retention.DEFAULT, SyncPolicy.NORMAL)) {
            Recorder r = subscribe(store, "r", 12L, epoch);
            assertThat(r.subscribed.get().recovered()).isTrue();
            assertThat(r.subscribed.get().epoch()).isEqualTo(epoch);
            append(store, "r", 5);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> r.seqs.size() >= 23);
            assertThat(r.seqs).isEqualTo(range(13, 35));
        }
    }

    @Test
    void afterDataFileLoss_resumeIsNotRecovered() throws Exception {
        String epoch;
        try (SqliteEventStore store = SqliteEventStore.open(dir, Retention.DEFAULT, SyncPolicy.NORMAL)) {
            append(store, "r", 10);
            epoch = store.info("r").orElseThrow().epoch();
        }
        Files.delete(dir.resolve("runcast.db"));
        try (SqliteEventStore store = SqliteEventStore.open(dir, Retention.DEFAULT, SyncPolicy.NORMAL)) {
            append(store, "r", 3); // the producer carries on into a new stream
            Recorder r = subscribe(store, "r", 10L, epoch);
            assertThat(r.subscribed.get().recovered()).isFalse();
            assertThat(r.subscribed.get().epoch()).isNotEqualTo(epoch);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> r.seqs.size() >= 3);
            assertThat(r.seqs).isEqualTo(range(1, 3)); // the new stream from its start, never a silent gap
        }
    }

    @Test
    void resumeFromBeforeRetainedWindow_isNotRecovered_andSaysWhereHistoryStarts() {
        Retention keep10 = new Retention(10, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10));
        try (SqliteEventStore store = SqliteEventStore.open(dir, keep10, SyncPolicy.NORMAL)) {
            append(store, "r", 40);
            String epoch = store.info("r").orElseThrow().epoch();
            store.sweep().join();
            Recorder r = subscribe(store, "r", 5L, epoch);
            assertThat(r.subscribed.get().recovered()).isFalse();
            assertThat(r.subscribed.get().first()).isEqualTo(31);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> r.seqs.size() >= 10);
            assertThat(r.seqs).isEqualTo(range(31, 40));
        }
    }
}
