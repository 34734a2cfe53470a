package io.runcast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.control.Harness;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DemoPlanTest {
    private static final DemoPlan.Options FAST = new DemoPlan.Options("t", 0.01, Duration.ZERO, Duration.ofMillis(300), null);

    @Test
    void oneCycleOfDemoRuns_coversTheWholeCatalogue() throws Exception {
        try (Harness h = new Harness(); PlanExecutor ex = new PlanExecutor(h.engine, h.control, ExecutorConfig.DEFAULT)) {
            Set<String> seen = new TreeSet<>();
            for (int n = 1; n <= 4; n++) {
                Event end = DemoPlan.runOnce(ex, h.control, "demo-" + n, DemoPlan.variant(n), FAST);
                String expected = switch (DemoPlan.variant(n)) {
                    case COMPLETES -> EventTypes.RUN_COMPLETED;
                    case FAILS -> EventTypes.RUN_FAILED;
                    case CANCELLED -> EventTypes.RUN_CANCELLED;
                };
                assertThat(end.type()).as("run %d", n).isEqualTo(expected);
                h.types("demo-" + n).forEach(seen::add);
            }
            // the router's choice belongs to chats: DemoChatsTest sees it in the demo's conversations
            assertThat(seen).containsAll(EventTypes.CATALOGUE.keySet().stream()
                    .filter(t -> !t.equals(EventTypes.WORKFLOW_ROUTE)).toList());
            Event done = h.events("demo-1").get(h.events("demo-1").size() - 1);
            var summary = done.dataNode().path("summary");
            assertThat(summary.path("tool_calls").asInt()).isEqualTo(4);
            assertThat(summary.path("phases_ms").size()).isEqualTo(4);
            assertThat(summary.has("time_to_first_token_ms")).isTrue();
        }
    }

    @Test
    void runForever_keepsStartingRuns_untilClosed() throws Exception {
        try (Harness h = new Harness()) {
            Set<String> runs = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AutoCloseable demo = DemoPlan.runForever(h.engine, h.control, FAST.withOnRun(runs::add));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> runs.size() >= 3);
            demo.close();
            for (String r : runs) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                        .until(() -> h.engine.info(r).map(i -> i.closed()).orElse(false));
            }
        }
    }
}
