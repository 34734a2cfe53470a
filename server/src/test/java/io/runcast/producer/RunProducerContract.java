package io.runcast.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.config.RuncastConfig;
import io.runcast.engine.Limits;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.server.RuncastServer;
import io.runcast.server.Stores;
import io.runcast.testing.HeldAcks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link RunProducer} must do, whatever carries its events: keep each thread's emit order,
 * get every event of a burst in however the server's limits cut it (count, body bytes, event bytes),
 * refuse only the one event the server cannot take, append an idempotency key once, and let
 * {@link RunHandle#flush()} wait for everything handed over. Runs against a real server on the SQLite
 * store (acknowledged from its writer thread; {@link HeldAcks} can hold those acknowledgements back)
 * with small limits, so every limit is crossed cheaply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RunProducerContract {
    protected static final int MAX_FRAME = 8192;
    protected static final Limits LIMITS = new Limits(2048, 10, 128);

    @TempDir
    static Path dir; // static: made before @BeforeAll, one per test class
    protected HeldAcks acks;
    protected RuncastServer server;
    protected RunProducer producer;

    /** The producer under test, speaking to {@code server}. */
    protected abstract RunProducer newProducer(RuncastServer server) throws Exception;

    @BeforeAll
    void start() throws Exception {
        RuncastConfig config = RuncastConfig.builder().port(0).store("sqlite").dataDir(dir)
                .maxFrameBytes(MAX_FRAME).limits(LIMITS).build();
        acks = new HeldAcks(Stores.open(config));
        server = RuncastServer.start(config, acks);
        producer = newProducer(server);
    }

    @AfterAll
    void stop() {
        if (producer != null) producer.close();
        if (server != null) server.close();
    }

    protected List<Event> stored(String run) {
        return server.engine().read(run, 0, 10_000).events();
    }

    /** An {@code x.item} whose data is exactly {@code dataLength} characters of compact JSON. */
    protected static EventDraft item(int dataLength, String tag) {
        String pad = "p".repeat(dataLength - tag.length() - "{\"t\":\"\",\"p\":\"\"}".length());
        String data = Json.write(Json.object().put("t", tag).put("p", pad));
        if (data.length() != dataLength) throw new IllegalStateException("padding is off: " + data.length());
        return new EventDraft("x.item", null, null, data, null);
    }

    protected static <T> T await(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    protected static List<String> tags(List<Event> events) {
        return events.stream().map(e -> e.dataNode().path("t").asText()).toList();
    }

    @Test
    void severalThreads_eachKeepsItsOwnOrder_nothingLostOrDoubled() throws Exception {
        RunHandle run = producer.attach("c-threads");
        int threads = 4, each = 250;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(new Thread(() -> {
                for (int i = 0; i < each; i++) run.emit(item(40, id + ":" + i));
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) t.join();
        await(run.flush());
        List<String> tags = tags(stored("c-threads"));
        assertThat(tags).hasSize(threads * each).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            List<String> mine = tags.stream().filter(s -> s.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < each; i++) expected.add(prefix + i);
            assertThat(mine).as("thread %d", t).isEqualTo(expected);
        }
    }

    @Test
    void burstsAtAndOverTheBatchCount_allLandInOrder() throws Exception {
        RunHandle run = producer.attach("c-count");
        List<CompletionStage<Long>> seqs = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxBatch(); i++) seqs.add(run.emit(item(20, "a" + i)));
        await(run.flush());
        for (int i = 0; i < 3 * LIMITS.maxBatch() + 1; i++) seqs.add(run.emit(item(20, "b" + i)));
        await(run.flush());
        for (int i = 0; i < seqs.size(); i++) assertThat(await(seqs.get(i))).isEqualTo(i + 1L);
        assertThat(stored("c-count")).hasSize(seqs.size());
    }

    @Test
    void burstFarOverTheBodyLimit_allLandInOrder() throws Exception {
        RunHandle run = producer.attach("c-bytes");
        List<CompletionStage<Long>> seqs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        int n = 40; // 40 events of 2 KiB: ten times the 8 KiB a request may carry
        for (int i = 0; i < n; i++) {
            seqs.add(run.emit(item(LIMITS.maxEventBytes(), "e" + i)));
            expected.add("e" + i);
        }
        await(run.flush());
        for (int i = 0; i < n; i++) assertThat(await(seqs.get(i))).isEqualTo(i + 1L);
        assertThat(tags(stored("c-bytes"))).containsExactlyElementsOf(expected);
    }

    @Test
    void eventAtTheDataLimitLands_oneOverIsRefusedAlone_withAClearError() throws Exception {
        RunHandle run = producer.attach("c-event");
        CompletionStage<Long> before = run.emit(item(30, "before"));
        CompletionStage<Long> atLimit = run.emit(item(LIMITS.maxEventBytes(), "at"));
        CompletionStage<Long> over = run.emit(item(LIMITS.maxEventBytes() + 1, "over"));
        CompletionStage<Long> after = run.emit(item(30, "after"));
        await(run.flush());
        assertThatThrownBy(() -> await(over)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(RuncastException.class)
                .satisfies(e -> assertThat(((RuncastException) e).code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining(String.valueOf(LIMITS.maxEventBytes()));
        assertThat(List.of(await(before), await(atLimit), await(after))).containsExactly(1L, 2L, 3L);
        assertThat(tags(stored("c-event"))).containsExactly("before", "at", "after");
    }

    @Test
    void sameIdempotencyKeyTwice_appendsOnce() throws Exception {
        RunHandle run = producer.attach("c-key");
        EventDraft keyed = item(20, "once").withKey("k-1");
        long first = await(run.emit(keyed));
        long again = await(run.emit(keyed));
        await(run.emit(item(20, "next")));
        assertThat(again).isEqualTo(first);
        assertThat(tags(stored("c-key"))).containsExactly("once", "next");
    }

    @Test
    void flush_completesOnlyOnceEverythingHandedOverIsAnswered() throws Exception {
        RunHandle run = producer.attach("c-flush");
        await(run.emit(item(20, "first"))); // the run exists, and an HTTP producer has its limits
        List<CompletableFuture<Long>> stages = new ArrayList<>();
        AtomicBoolean allDoneAtFlush = new AtomicBoolean();
        CompletionStage<Void> flushed;
        try (HeldAcks.Hold held = acks.hold()) {
            // Nothing is acknowledged now: each stage stays pending until the hold goes.
            Thread other = new Thread(() -> {
                for (int i = 0; i < 20; i++) synchronizedAdd(stages, run.scoped("s", null).emit(item(20, "o" + i)));
            });
            other.start();
            for (int i = 0; i < 20; i++) synchronizedAdd(stages, run.emit(item(20, "m" + i)));
            other.join();
            synchronizedAdd(stages, run.emit(item(LIMITS.maxEventBytes() + 1, "refused"))); // answered first, at once
            flushed = run.flush().thenRun(() -> allDoneAtFlush.set(stages.stream().allMatch(CompletableFuture::isDone)));
        }
        await(flushed);
        assertThat(allDoneAtFlush).isTrue();
        assertThat(stored("c-flush")).hasSize(41);
    }

    private static void synchronizedAdd(List<CompletableFuture<Long>> list, CompletionStage<Long> s) {
        synchronized (list) {
            list.add(s.toCompletableFuture());
        }
    }
}
