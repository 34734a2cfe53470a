package io.runcast.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.event.EventTypes;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lifecycle, retries, guaranteed end, telemetry and handler isolation, as a WebSocket subscriber sees them. */
class ExecLifecycleOverSocketsTest {
    static RuncastServer server;
    static PlanExecutor executor;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
    }

    @AfterAll
    static void stop() {
        executor.close();
        server.close();
    }

    /** Subscribes, runs the plan, and returns every event frame up to the {@code end} frame. */
    static List<JsonNode> watch(String run, PlanExecutor ex, Plan plan) {
        try (WsTestClient c = WsTestClient.connect(server.port())) {
            c.awaitOp("connected");
            c.send("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}");
            c.awaitOp("subscribed");
            ex.start(run, plan);
            List<JsonNode> events = new ArrayList<>();
            while (true) {
                JsonNode f = c.next(10_000);
                if (f.path("op").asText().equals("end")) return events;
                if (f.path("op").asText().equals("event")) events.add(f);
            }
        }
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    static final Agent THREE_PROGRESS = ctx -> {
        for (int p : new int[] {25, 50, 75}) ctx.progress(p, "working");
        return TextNode.valueOf("ok");
    };

    @Test
    void seed001Lifecycle_andTelemetry_overWs_evenWithStuckAndFailingHandlers() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger failing = new AtomicInteger();
        try (AutoCloseable stuck = executor.handlers().on("*", e -> {
                 try {
                     never.await();
                 } catch (InterruptedException ignored) {
                     Thread.currentThread().interrupt();
                 }
             });
             AutoCloseable broken = executor.handlers().on("step.*", e -> {
                 failing.incrementAndGet();
                 throw new IllegalStateException("handler bug");
             })) {
            List<JsonNode> events = watch("ws-seed001", executor, Plan.of("Research query",
                    Step.of("step_1", "researcher", THREE_PROGRESS),
                    Step.of("step_2", "researcher", THREE_PROGRESS, "step_1"),
                    Step.of("step_3", "researcher", THREE_PROGRESS, "step_2")));
            List<String> t = types(events);
            assertThat(t).hasSize(17);
            assertThat(t.get(0)).isEqualTo(EventTypes.RUN_STARTED);
            assertThat(t.subList(1, 6)).containsExactly(EventTypes.STEP_STARTED, EventTypes.STEP_PROGRESS,
                    EventTypes.STEP_PROGRESS, EventTypes.STEP_PROGRESS, EventTypes.STEP_COMPLETED);
            assertThat(t.get(16)).isEqualTo(EventTypes.RUN_COMPLETED);
            for (int i = 0; i < events.size(); i++) assertThat(events.get(i).path("seq").asLong()).isEqualTo(i + 1);
            assertThat(events.get(5).path("data").path("duration_ms").isNumber()).isTrue();
            JsonNode summary = events.get(16).path("data").path("summary");
            assertThat(summary.path("time_to_first_event_ms").isNumber()).isTrue();
            assertThat(summary.path("time_to_done_ms").asLong()).isGreaterThanOrEqualTo(summary.path("time_to_first_event_ms").asLong());
            assertThat(summary.path("steps_ms").size()).isEqualTo(3);
            never.countDown();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void retriesAreVisible_thenAgentThrowsForGood_runFailsWithReason() {
        Agent alwaysFails = ctx -> { throw new IllegalStateException("upstream 503"); };
        List<JsonNode> events = watch("ws-retry-fail", executor, Plan.of("q",
                Step.of("s", "a", alwaysFails).withRetry(Retry.times(3, Duration.ofMillis(10)))));
        assertThat(types(events)).containsExactly(EventTypes.RUN_STARTED, EventTypes.STEP_STARTED,
                EventTypes.ERROR_RECOVERY, EventTypes.ERROR_RECOVERY, EventTypes.STEP_FAILED, EventTypes.RUN_FAILED);
        assertThat(events.get(3).path("data").path("attempt").asInt()).isEqualTo(2);
        assertThat(events.get(4).path("data").path("attempts").asInt()).isEqualTo(3);
        assertThat(events.get(5).path("data").path("reason").asText()).isEqualTo("step s failed: upstream 503");
        assertThat(events.get(5).path("data").path("summary").path("retries").asInt()).isEqualTo(2);
    }

    @Test
    void agentHangingPastTimeout_endsTheRunFailed_overWs() {
        Agent hangs = ctx -> {
            while (true) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException ignored) {
                    // ignores interruption on purpose
                }
            }
        };
        List<JsonNode> events = watch("ws-hang", executor, Plan.of("q", Step.of("h", "a", hangs).withTimeout(Duration.ofMillis(150))));
        assertThat(types(events)).containsExactly(EventTypes.RUN_STARTED, EventTypes.STEP_STARTED, EventTypes.STEP_FAILED, EventTypes.RUN_FAILED);
        assertThat(events.get(2).path("data").path("timed_out").asBoolean()).isTrue();
        assertThat(events.get(3).path("data").path("reason").asText()).contains("timed out after 150 ms");
    }

    @Test
    void executorShutdown_endsRunningRunsFailed_overWs() throws Exception {
        PlanExecutor own = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        CountDownLatch running = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            try {
                running.await();
                own.close();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        List<JsonNode> events = watch("ws-shutdown", own, Plan.of("q", Step.of("w", "a", ctx -> {
            running.countDown();
            ctx.sleep(Duration.ofMinutes(5));
            return null;
        })));
        closer.join();
        assertThat(types(events)).containsExactly(EventTypes.RUN_STARTED, EventTypes.STEP_STARTED, EventTypes.RUN_FAILED);
        assertThat(events.get(2).path("data").path("reason").asText()).isEqualTo("executor shutdown");
    }
}
