package io.runcast.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor on the durable store the CLI uses by default, where appends are acknowledged and
 * notified from the store's writer thread rather than the caller's.
 */
class ExecOnSqliteTest {
    @TempDir
    Path dir;

    @Test
    void lifecycleCancelAndDecisionTimeout_onSqlite() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.store("sqlite").dataDir(dir));
             PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
             WsTestClient c = WsTestClient.connect(server.port())) {
            c.awaitOp("connected");
            Agent progress = ctx -> {
                for (int p : new int[] {25, 50, 75}) ctx.progress(p, "working");
                return TextNode.valueOf("ok");
            };
            Event done = executor.start("sq-1", Plan.of("q", Step.of("a", "x", progress), Step.of("b", "x", progress, "a"),
                    Step.of("c", "x", progress, "b"))).done().get(10, TimeUnit.SECONDS);
            assertThat(done.type()).isEqualTo(EventTypes.RUN_COMPLETED);
            assertThat(server.engine().read("sq-1", 0, 100).events()).hasSize(17);

            Event dto = executor.start("sq-2", Plan.of("q", Step.of("ask", "r", ctx ->
                    ctx.decide("ok?", List.of("yes", "no"), "no", Duration.ofMillis(200), false, null).choice())))
                    .done().get(10, TimeUnit.SECONDS);
            assertThat(dto.type()).isEqualTo(EventTypes.RUN_COMPLETED);

            CountDownLatch blocked = new CountDownLatch(1);
            c.send("{\"op\":\"subscribe\",\"run\":\"sq-3\"}");
            c.awaitOp("subscribed");
            RunExecution r = executor.start("sq-3", Plan.of("q", Step.of("w", "x", ctx -> {
                blocked.countDown();
                ctx.sleep(Duration.ofMinutes(1));
                return null;
            })));
            assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
            long t0 = System.nanoTime();
            c.send("{\"op\":\"cancel\",\"run\":\"sq-3\"}");
            JsonNode cancelled = c.await(f -> EventTypes.RUN_CANCELLED.equals(f.path("type").asText()), 5000);
            System.out.println("sqlite: cancel -> run.cancelled at the watcher in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(cancelled.path("seq").asLong()).isEqualTo(r.done().get(5, TimeUnit.SECONDS).seq());
        }
    }

    @Test
    void pendingDecision_survivesAServerRestart_andIsAnsweredOverHttp() {
        try (RuncastServer first = TestServer.start(b -> b.store("sqlite").dataDir(dir))) {
            io.runcast.producer.RunHandle run = new io.runcast.engine.InProcessProducer(first.engine()).open("sq-restart", null);
            run.decisionRequested("d1", "Ship?", List.of("yes", "no"), null, 0, false, null).toCompletableFuture().join();
        }
        try (RuncastServer second = TestServer.start(b -> b.store("sqlite").dataDir(dir))) {
            var ok = TestServer.post(second.port(), "/api/runs/sq-restart/decisions/d1", "{\"choice\":\"yes\",\"by\":\"alice\"}");
            assertThat(ok.statusCode()).isEqualTo(200);
            var late = TestServer.post(second.port(), "/api/runs/sq-restart/decisions/d1", "{\"choice\":\"no\"}");
            assertThat(late.statusCode()).isEqualTo(409);
            assertThat(late.body()).contains("decision_closed");
            List<Event> events = second.engine().read("sq-restart", 0, 100).events();
            assertThat(events.get(events.size() - 1).dataNode().path("by").asText()).isEqualTo("alice");
        }
    }
}
