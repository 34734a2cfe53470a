package io.runcast.exec;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.agent.Decision;
import io.runcast.event.EventTypes;
import io.runcast.server.RuncastServer;
import io.runcast.testing.Blocked;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor's behaviours as a watcher sees them: over the real WebSocket and HTTP API of a running server. */
class ExecOverSocketsTest {
    static RuncastServer server;
    static PlanExecutor executor;
    static ServerSocket silent;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT.withStepTimeout(Duration.ofSeconds(20)));
        silent = new ServerSocket(0); // accepts (via backlog) and never answers: a peer that hangs
    }

    @AfterAll
    static void stop() throws Exception {
        executor.close();
        server.close();
        silent.close();
    }

    static WsTestClient subscribe(String run) {
        WsTestClient c = WsTestClient.connect(server.port());
        c.awaitOp("connected");
        c.send("{\"op\":\"subscribe\",\"run\":\"" + run + "\",\"id\":\"s\"}");
        c.awaitOp("subscribed");
        return c;
    }

    /** A connection that only sends commands (so waiting for replies never skips a watcher's events). */
    static WsTestClient commander() {
        WsTestClient c = WsTestClient.connect(server.port());
        c.awaitOp("connected");
        return c;
    }

    static JsonNode awaitType(WsTestClient c, String type) {
        return c.await(f -> f.path("op").asText().equals("event") && f.path("type").asText().equals(type), 10_000);
    }

    /** An agent blocked in a socket read that interruption alone would not end; it registers the socket. */
    static Agent blockedInRead(AtomicReference<Thread> thread, CountDownLatch stopped) {
        return ctx -> {
            thread.set(Thread.currentThread());
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", silent.getLocalPort()));
            ctx.onCancel(s);
            try (InputStream in = s.getInputStream()) {
                in.read();
            } finally {
                stopped.countDown();
            }
            return null;
        };
    }

    @Test
    void wsCancel_whileAgentBlockedInSocketRead_deliversCancelled_andStopsTheAgent() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Thread> agent = new AtomicReference<>();
        String run = "sock-cancel-ws";
        try (WsTestClient c = subscribe(run); WsTestClient cmd = commander()) {
            RunExecution r = executor.start(run, Plan.of("q", Step.of("read", "reader", blockedInRead(agent, stopped)),
                    Step.of("never", "x", ctx -> TextNode.valueOf("unreachable"), "read")));
            awaitType(c, EventTypes.STEP_STARTED);
            await().until(() -> agent.get() != null);
            Blocked.awaitIn(agent.get(), "java.net.Socket$SocketInputStream", "read");
            long t0 = System.nanoTime();
            cmd.send("{\"op\":\"cancel\",\"run\":\"" + run + "\",\"id\":7,\"reason\":\"stop\"}");
            JsonNode cancelled = awaitType(c, EventTypes.RUN_CANCELLED);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            JsonNode ok = cmd.awaitOp("ok");
            assertThat(ok.path("id").asInt()).isEqualTo(7);
            assertThat(ok.path("seq").asLong()).isEqualTo(cancelled.path("seq").asLong());
            assertThat(c.awaitOp("end").path("seq").asLong()).isEqualTo(cancelled.path("seq").asLong());
            assertThat(ms).as("cancel latency (generous bound; issue asks for 250 ms)").isLessThan(1000);
            assertThat(stopped.await(2, TimeUnit.SECONDS)).as("the agent's blocking read was really ended").isTrue();
            assertThat(r.done().get(5, TimeUnit.SECONDS).type()).isEqualTo(EventTypes.RUN_CANCELLED);
            assertThat(cancelled.path("data").path("summary").has("time_to_done_ms")).isTrue();
        }
    }

    @Test
    void httpCancel_whileWaitingForAHuman_deliversCancelledOverWs() throws Exception {
        String run = "sock-cancel-http";
        CountDownLatch interrupted = new CountDownLatch(1);
        try (WsTestClient c = subscribe(run)) {
            RunExecution r = executor.start(run, Plan.of("q", Step.of("ask", "reviewer", ctx -> {
                try {
                    ctx.decide("Ship it?", List.of("yes", "no"), null, null, false, null);
                } finally {
                    interrupted.countDown();
                }
                return null;
            })));
            awaitType(c, EventTypes.DECISION_REQUESTED);
            long t0 = System.nanoTime();
            var res = post(server.port(), "/api/runs/" + run + "/cancel", "{\"reason\":\"changed my mind\"}");
            assertThat(res.statusCode()).isEqualTo(200);
            JsonNode cancelled = awaitType(c, EventTypes.RUN_CANCELLED);
            System.out.println("HTTP cancel while waiting for a human: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(cancelled.path("data").path("reason").asText()).isEqualTo("changed my mind");
            assertThat(interrupted.await(2, TimeUnit.SECONDS)).isTrue();
            assertThat(r.done().get(5, TimeUnit.SECONDS).type()).isEqualTo(EventTypes.RUN_CANCELLED);
            var again = post(server.port(), "/api/runs/" + run + "/cancel", "{}");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(again.body()).contains("run_closed");
        }
    }

    @Test
    void decisions_overWs_firstValidAnswerWins_othersGetClearErrors() throws Exception {
        String run = "sock-decide";
        CountDownLatch hold = new CountDownLatch(1); // keeps the run open so a late answer meets the closed decision
        try (WsTestClient w = subscribe(run); WsTestClient a = commander(); WsTestClient b = commander()) {
            RunExecution r = executor.start(run, Plan.of("q", Step.of("ask", "reviewer", ctx -> {
                Decision d = ctx.decide("Tone?", List.of("concise", "detailed"), "concise", Duration.ofSeconds(30), false, null);
                hold.await();
                return TextNode.valueOf(d.text() + "/" + d.by());
            })));
            String id = awaitType(w, EventTypes.DECISION_REQUESTED).path("data").path("decision").asText();
            b.send("{\"op\":\"decide\",\"run\":\"" + run + "\",\"decision\":\"nope\",\"choice\":\"concise\",\"id\":1}");
            assertThat(b.awaitOp("error").path("code").asText()).isEqualTo("decision_not_found");
            b.send("{\"op\":\"decide\",\"run\":\"" + run + "\",\"decision\":\"" + id + "\",\"choice\":\"verbose\",\"id\":2}");
            assertThat(b.awaitOp("error").path("code").asText()).isEqualTo("invalid_choice");
            a.send("{\"op\":\"decide\",\"run\":\"" + run + "\",\"decision\":\"" + id + "\",\"choice\":\"detailed\",\"id\":3}");
            assertThat(a.awaitOp("ok").path("id").asInt()).isEqualTo(3);
            b.send("{\"op\":\"decide\",\"run\":\"" + run + "\",\"decision\":\"" + id + "\",\"choice\":\"concise\",\"id\":4}");
            assertThat(b.awaitOp("error").path("code").asText()).isEqualTo("decision_closed");
            JsonNode resolved = awaitType(w, EventTypes.DECISION_RESOLVED);
            assertThat(resolved.path("data").path("choice").asText()).isEqualTo("detailed");
            assertThat(resolved.path("data").path("by").asText()).isNotEmpty();
            assertThat(resolved.path("step").asText()).as("shown where it was asked").isEqualTo("ask");
            assertThat(resolved.path("agent").asText()).isEqualTo("reviewer");
            hold.countDown();
            JsonNode completed = awaitType(w, EventTypes.STEP_COMPLETED);
            assertThat(completed.path("data").path("result").asText()).startsWith("detailed/");
            assertThat(r.done().get(5, TimeUnit.SECONDS).type()).isEqualTo(EventTypes.RUN_COMPLETED);
        }
    }

    @Test
    void decisionTimeout_overSockets_takesTheDefault_orFailsTheStepWithoutOne() throws Exception {
        String withDefault = "sock-dto-default";
        String without = "sock-dto-none";
        try (WsTestClient c = subscribe(withDefault); WsTestClient d = subscribe(without)) {
            executor.start(withDefault, Plan.of("q", Step.of("ask", "reviewer", ctx ->
                    ctx.decide("Tone?", List.of("concise", "detailed"), "concise", Duration.ofMillis(300), true, null).choice())));
            executor.start(without, Plan.of("q", Step.of("ask", "reviewer", ctx ->
                    ctx.decide("Tone?", List.of("concise"), null, Duration.ofMillis(300), false, null).choice())));
            JsonNode resolved = awaitType(c, EventTypes.DECISION_RESOLVED).path("data");
            assertThat(resolved.path("choice").asText()).isEqualTo("concise");
            assertThat(resolved.path("by").asText()).isEqualTo("timeout");
            assertThat(awaitType(c, EventTypes.RUN_COMPLETED)).isNotNull();
            JsonNode none = awaitType(d, EventTypes.DECISION_RESOLVED).path("data");
            assertThat(none.has("choice")).isFalse();
            assertThat(none.path("timed_out").asBoolean()).isTrue();
            assertThat(awaitType(d, EventTypes.STEP_FAILED).path("data").path("error").asText()).contains("timed out");
            assertThat(awaitType(d, EventTypes.RUN_FAILED)).isNotNull();
        }
    }

    @Test
    void httpDecision_andPauseResume_overHttp() throws Exception {
        String run = "sock-http-control";
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch releaseKeeper = new CountDownLatch(1);
        try (WsTestClient c = subscribe(run)) {
            // "keep" runs beside "hold" and finishes after it; the executor handles its completion after
            // deciding about "last" (both under the run's lock), so its step.completed marks the point by
            // which "last" would have started had the pause not held it back.
            RunExecution r = executor.start(run, Plan.of("q",
                    Step.of("ask", "reviewer", ctx -> ctx.decide("Go?", List.of(), null, null, false, null).choice()),
                    Step.of("hold", "worker", ctx -> { release.await(); return null; }, "ask"),
                    Step.of("keep", "worker", ctx -> { releaseKeeper.await(); return null; }, "ask"),
                    Step.of("last", "worker", ctx -> TextNode.valueOf("done"), "hold")));
            String id = awaitType(c, EventTypes.DECISION_REQUESTED).path("data").path("decision").asText();
            var res = post(server.port(), "/api/runs/" + run + "/decisions/" + id, "{\"choice\":{\"note\":\"free-form\"},\"by\":\"alice\"}");
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(awaitType(c, EventTypes.DECISION_RESOLVED).path("data").path("choice").path("note").asText()).isEqualTo("free-form");
            awaitStep(c, EventTypes.STEP_STARTED, "hold");
            awaitStep(c, EventTypes.STEP_STARTED, "keep");
            assertThat(post(server.port(), "/api/runs/" + run + "/pause", "{}").statusCode()).isEqualTo(200);
            awaitType(c, EventTypes.RUN_PAUSED);
            release.countDown();
            awaitStep(c, EventTypes.STEP_COMPLETED, "hold");
            releaseKeeper.countDown();
            awaitStep(c, EventTypes.STEP_COMPLETED, "keep");
            assertThat(stepsStarted(run)).as("nothing started while paused").doesNotContain("last");
            assertThat(post(server.port(), "/api/runs/" + run + "/resume", "{}").statusCode()).isEqualTo(200);
            assertThat(r.done().get(5, TimeUnit.SECONDS).type()).isEqualTo(EventTypes.RUN_COMPLETED);
            List<String> types = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            server.engine().read(run, 0, 1000).events().forEach(e -> {
                types.add(e.type());
                steps.add(e.step());
            });
            int resumed = types.indexOf(EventTypes.RUN_RESUMED);
            int lastStarted = -1;
            for (int i = 0; i < types.size(); i++) {
                if (types.get(i).equals(EventTypes.STEP_STARTED) && "last".equals(steps.get(i))) lastStarted = i;
            }
            assertThat(lastStarted).as("last starts after run.resumed").isGreaterThan(resumed);
        }
    }

    static JsonNode awaitStep(WsTestClient c, String type, String step) {
        return c.await(f -> f.path("op").asText().equals("event") && f.path("type").asText().equals(type)
                && f.path("step").asText().equals(step), 10_000);
    }

    static List<String> stepsStarted(String run) {
        return server.engine().read(run, 0, 1000).events().stream()
                .filter(e -> e.type().equals(EventTypes.STEP_STARTED)).map(e -> e.step()).toList();
    }
}
