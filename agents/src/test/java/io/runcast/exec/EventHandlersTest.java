package io.runcast.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.control.Harness;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventHandlersTest {
    private final Harness h = new Harness();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final EventHandlers handlers = new EventHandlers(pool, 100);

    EventHandlersTest() {
        h.control.tap(handlers);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        h.close();
    }

    private void publish(String type) {
        h.engine.publish("r", EventDraft.of(type, Json.object())).toCompletableFuture().join();
    }

    @Test
    void slowAndFailingHandlers_neverDelayStreaming_orEachOther() {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> fast = new CopyOnWriteArrayList<>();
        List<Long> async = new CopyOnWriteArrayList<>();
        handlers.on("*", e -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        handlers.on("quality.*", e -> { throw new IllegalStateException("handler bug"); });
        handlers.on("quality.check", e -> fast.add(e.seq()));
        handlers.onAsync("quality.check", e -> CompletableFuture.runAsync(() -> async.add(e.seq())));
        long t0 = System.nanoTime();
        publish(EventTypes.RUN_STARTED);
        for (int i = 0; i < 50; i++) publish(EventTypes.QUALITY_CHECK);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Appends returned although one handler is stuck: they did not wait for it.
        assertThat(h.types("r")).hasSize(51);
        await().atMost(Duration.ofSeconds(5)).until(() -> fast.size() == 50 && async.size() == 50);
        assertThat(fast).isSorted();
        assertThat(handlers.failures()).isEqualTo(50);
        System.out.println("51 appends with a stuck handler took " + ms + " ms");
        release.countDown();
    }

    @Test
    void handlerFarBehind_dropsOldestInsteadOfGrowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        handlers.on("*", e -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            seen.add(e.seq());
        });
        for (int i = 0; i < 300; i++) publish(EventTypes.LOG_LINE);
        assertThat(handlers.dropped()).isGreaterThanOrEqualTo(199);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 100);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(300);
    }
}
