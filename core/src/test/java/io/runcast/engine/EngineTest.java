package io.runcast.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.event.EventDraft;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.memory.MemoryEventStore;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineTest {
    private final MemoryEventStore store = new MemoryEventStore();
    private final Engine engine = new Engine(store, new Hub(store, ForkJoinPool.commonPool(), Executors.newSingleThreadScheduledExecutor(), HubConfig.DEFAULT),
            new Limits(100, 3, 16));

    @AfterEach
    void close() {
        store.close();
    }

    private ErrorCode refusal(String run, List<EventDraft> drafts) {
        try {
            engine.publish(run, drafts).toCompletableFuture().join();
            throw new AssertionError("accepted");
        } catch (CompletionException e) {
            return ((RuncastException) e.getCause()).code();
        }
    }

    @Test
    void refusesBadInput_andStoresNothing() {
        EventDraft ok = new EventDraft("log.line", null, null, "{}", null);
        assertThat(refusal("bad id", List.of(ok))).isEqualTo(ErrorCode.INVALID_RUN);
        assertThat(refusal("", List.of(ok))).isEqualTo(ErrorCode.INVALID_RUN);
        assertThat(refusal("r".repeat(17), List.of(ok))).isEqualTo(ErrorCode.INVALID_RUN);
        assertThat(refusal("r", List.of())).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(refusal("r", Collections.nCopies(4, ok))).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(refusal("r", List.of(ok, new EventDraft("made.up", null, null, "{}", null)))).isEqualTo(ErrorCode.INVALID_TYPE);
        assertThat(refusal("r", List.of(new EventDraft("log.line", null, null, "{\"p\":\"" + "x".repeat(100) + "\"}", null))))
                .isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(refusal("r", List.of(new EventDraft("log.line", "s".repeat(17), null, "{}", null)))).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(refusal("r", List.of(new EventDraft("run.completed", null, null, "{}", null), ok))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(store.info("r")).isEmpty();
    }

    @Test
    void acceptsCatalogueAndCustomTypes() {
        var accepted = engine.publish("r", List.of(new EventDraft("run.started", null, null, "{}", null),
                new EventDraft("x.acme.widget", "s1", "a1", "{\"n\":1}", null))).toCompletableFuture().join();
        assertThat(accepted).extracting(a -> a.event().seq()).containsExactly(1L, 2L);
    }

    @Test
    void checkRun_acceptsDocumentedAlphabet() {
        engine.checkRun("plan-42.v1:a_b");
        assertThatThrownBy(() -> engine.checkRun("a/b")).isInstanceOf(RuncastException.class);
    }
}
