package io.runcast.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.control.Harness;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

public class InProcessProducerTest {
    /** Emits one event of every catalogue type through the typed helpers; shared with the HTTP test. */
    public static void emitEveryType(RunHandle run) {
        run.stepStarted(Json.object());
        RunHandle s = run.scoped("s1", "researcher");
        s.thinking("hmm");
        s.action("search");
        s.toolCall("web_search", TextNode.valueOf("q"), "c1");
        s.toolResult("web_search", TextNode.valueOf("r"), "c1", 12);
        s.result("found");
        s.agentError("oops");
        s.recovery("oops", "retry", 1);
        s.progress(50, "half", "sub");
        s.modelSelected("m", "high", "why");
        s.stage("Research", List.of("Planning", "Research"), 50);
        s.route("light", 0.9, "short");
        s.qualityCheck(0.9, true, "gate");
        s.reviewRequested("look");
        s.decisionRequested("d1", "ok?", List.of("a", "b"), "a", 5, true, null);
        s.emit(EventTypes.DECISION_RESOLVED, Json.object());
        s.delta("tok");
        s.answer("answer");
        s.chat("assistant", "answer");
        s.metrics(Json.object());
        s.health("healthy");
        s.log("info", "line");
        s.stepCompleted(TextNode.valueOf("ok"), 30);
        s.stepFailed("no", 3);
        run.emit(EventTypes.RUN_PAUSED, Json.object());
        run.emit(EventTypes.RUN_RESUMED, Json.object());
        run.emit("x.custom", Json.object());
    }

    @Test
    void typedHelpers_appendInOrder_withStepAndAgent_andEndCloses() {
        try (Harness h = new Harness(); RunProducer p = new InProcessProducer(h.engine)) {
            RunHandle run = p.open("p1", Json.object());
            emitEveryType(run);
            run.complete(Json.object()).toCompletableFuture().join();
            List<Event> events = h.events("p1");
            assertThat(events.get(0).type()).isEqualTo(EventTypes.RUN_STARTED);
            assertThat(events.get(2).step()).isEqualTo("s1");
            assertThat(events.get(2).agent()).isEqualTo("researcher");
            assertThat(events.stream().map(Event::type).toList())
                    .containsAll(EventTypes.CATALOGUE.keySet().stream().filter(t -> !t.equals(EventTypes.RUN_FAILED)
                            && !t.equals(EventTypes.RUN_CANCELLED)).toList());
            try {
                run.log("info", "late").toCompletableFuture().join();
                throw new AssertionError("expected RUN_CLOSED");
            } catch (CompletionException e) {
                assertThat(((RuncastException) e.getCause()).code()).isEqualTo(ErrorCode.RUN_CLOSED);
            }
        }
    }
}
