package io.runcast.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.store.memory.MemoryEventStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EncodedEventTest {
    private static EncodedEvent anEvent() {
        try (MemoryEventStore store = new MemoryEventStore()) {
            Event e = store.append("r", List.of(EventDraft.of("log.line", null))).toCompletableFuture().join().get(0).event();
            return EncodedEvent.of(e);
        }
    }

    @Test
    void eachFormat_encodesAnEventOnce_evenWhenManyThreadsAskAtOnce_andAllGetTheSameArray() throws Exception {
        EncodedEvent e = anEvent();
        AtomicInteger upper = new AtomicInteger(), lower = new AtomicInteger();
        WireFormat shout = ev -> {
            upper.incrementAndGet();
            return new String(ev.frame(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        };
        WireFormat whisper = ev -> {
            lower.incrementAndGet();
            return new String(ev.frame(), StandardCharsets.UTF_8).toLowerCase().getBytes(StandardCharsets.UTF_8);
        };
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            WireFormat f = i % 2 == 0 ? shout : whisper;
            results.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
                return e.encoded(f);
            }, threads));
        }
        go.countDown();
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get()).isSameAs(i % 2 == 0 ? e.encoded(shout) : e.encoded(whisper));
        }
        threads.shutdown();
        assertThat(upper.get()).isEqualTo(1);
        assertThat(lower.get()).isEqualTo(1);
        assertThat(e.encoded(shout)).isNotSameAs(e.encoded(whisper));
    }
}
