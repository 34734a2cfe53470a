package io.runcast.seeds.plan;

import static io.runcast.testing.TestServer.get;
import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.seeds.testing.FrameClient;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 000 from its document: subscribe_plan on /ws/streaming, the three update frames, the sample plan endpoint. */
class PlanPageFormatTest {
    RuncastServer server;
    int port;

    @BeforeEach
    void start() {
        // short native timeouts: the plan page never pings, and its connection must outlive them
        server = TestServer.start(b -> b.idleTimeout(Duration.ofMillis(400)).handshakeTimeout(Duration.ofMillis(400)));
        server.endpoints().add(new PlanPageFormat(server.services(), Duration.ofMillis(60)));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static EventDraft ev(String type, String step, String agent, String json) {
        return new EventDraft(type, step, agent, json, null);
    }

    static boolean isType(JsonNode f, String type) {
        return type.equals(f.path("type").asText());
    }

    static void waitFor(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("condition not met within 5 s");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Subscribes and waits until the hub serves the subscription (it is made after the plan's head is read). */
    FrameClient subscribed(String plan) {
        FrameClient c = FrameClient.connect(port, PlanPageFormat.PATH);
        c.send(Json.object().put("type", "subscribe_plan").put("plan_id", plan));
        JsonNode ok = c.next();
        assertThat(ok.path("type").asText()).isEqualTo("subscription_confirmed");
        assertThat(ok.path("plan_id").asText()).isEqualTo(plan);
        assertThat(ok.path("data").path("content").asText()).isNotBlank();
        waitFor(() -> server.services().hub().subscribers(plan) >= 1);
        return c;
    }

    @Test
    void subscribePlan_receivesEachEventAsItsDocumentedFrame_withPlanIdAndContentInData() {
        try (FrameClient c = subscribed("plan-123")) {
            List<Event> published = server.publishAndWait("plan-123", List.of(
                    ev("run.started", null, null, "{\"query\":\"Why did Q3 drop?\"}"),
                    ev("step.started", "s1", "Data Analyst", "{}"),
                    ev("agent.thinking", "s1", "Data Analyst", "{\"content\":\"I'm analyzing the data...\"}"),
                    ev("answer.delta", "s1", "Data Analyst", "{\"text\":\"tok\"}"),
                    ev("agent.action", "s1", "Data Analyst", "{\"content\":\"Loading sales\"}"),
                    ev("step.progress", "s1", "Data Analyst", "{\"progress\":50}"),
                    ev("metrics.update", null, null, "{\"tokens_out\":3}"),
                    ev("agent.result", "s1", "Data Analyst", "{\"content\":\"North down 18%\"}"),
                    ev("step.completed", "s1", "Data Analyst", "{\"result\":{\"down\":18}}"),
                    ev("run.completed", null, null, "{}")));
            List<JsonNode> frames = c.until(f -> isType(f, "plan_update") && f.path("data").path("status").asText().equals("completed"), 5000);

            assertThat(frames).extracting(f -> f.path("type").asText() + "/" + f.path("data").path("status").asText()
                            + "/" + f.path("data").path("message_type").asText() + "/" + f.path("data").path("content").asText())
                    .containsExactly(
                            "plan_update/in_progress/action/Why did Q3 drop?",
                            "step_update/in_progress/action/Starting step s1",
                            "agent_message/in_progress/thinking/I'm analyzing the data...",
                            "agent_message/in_progress/action/Loading sales",
                            "step_update/in_progress/action/Step s1: 50%",
                            "agent_message/completed/result/North down 18%",
                            "step_update/completed/result/{\"down\":18}",
                            "plan_update/completed/result/Plan completed");
            JsonNode thinking = frames.get(2).path("data");
            assertThat(thinking.path("plan_id").asText()).isEqualTo("plan-123");
            assertThat(thinking.path("step_id").asText()).isEqualTo("s1");
            assertThat(thinking.path("agent_name").asText()).isEqualTo("Data Analyst");
            assertThat(Instant.parse(thinking.path("timestamp").asText())).isEqualTo(published.get(2).time());
            assertThat(thinking.path("event_id").asText()).isEqualTo(published.get(2).id());
            assertThat(frames.get(0).path("data").has("step_id")).as("a plan update has no step").isFalse();
            for (JsonNode f : frames) assertThat(f.path("data").path("plan_id").asText()).isEqualTo("plan-123");
        }
    }

    @Test
    void subscribingTwice_asTheClientDoesAfterAReconnect_deliversEachEventOnce() {
        server.publishAndWait("twice", List.of(ev("run.started", null, null, "{}"),
                ev("agent.thinking", null, "A", "{\"content\":\"before the reconnect\"}")));
        try (FrameClient first = subscribed("twice")) {
            first.abort(); // the connection drops; the page reconnects and subscribes twice
        }
        waitFor(() -> server.services().hub().subscribers("twice") == 0);
        try (FrameClient c = FrameClient.connect(port, PlanPageFormat.PATH)) {
            c.send(Json.object().put("type", "subscribe_plan").put("plan_id", "twice"));
            c.send(Json.object().put("type", "subscribe_plan").put("plan_id", "twice"));
            assertThat(c.next().path("type").asText()).isEqualTo("subscription_confirmed");
            assertThat(c.next().path("type").asText()).isEqualTo("subscription_confirmed");
            waitFor(() -> server.services().hub().subscribers("twice") >= 1);
            // and a third plan as a barrier: its frame is written after anything the first two could cause
            c.send(Json.object().put("type", "subscribe_plan").put("plan_id", "barrier"));
            assertThat(c.next().path("plan_id").asText()).isEqualTo("barrier");
            waitFor(() -> server.services().hub().subscribers("barrier") >= 1);

            server.publishAndWait("twice", List.of(ev("agent.thinking", null, "A", "{\"content\":\"after\"}"),
                    ev("run.completed", null, null, "{}")));
            server.publishAndWait("barrier", List.of(ev("run.started", null, null, "{}")));
            List<JsonNode> frames = c.until(f -> f.path("data").path("plan_id").asText().equals("barrier"), 5000);

            assertThat(server.services().hub().subscribers("twice")).as("one subscription for two subscribe_plan").isLessThanOrEqualTo(1);
            assertThat(frames).extracting(f -> f.path("data").path("content").asText())
                    .as("only what happened after the subscription, each once")
                    .containsExactly("after", "Plan completed", "Plan started");
        }
    }

    @Test
    void unsubscribePlan_stopsThatPlanOnly() {
        try (FrameClient c = subscribed("left")) {
            c.send(Json.object().put("type", "subscribe_plan").put("plan_id", "kept"));
            assertThat(c.next().path("plan_id").asText()).isEqualTo("kept");
            waitFor(() -> server.services().hub().subscribers("kept") == 1);
            c.send(Json.object().put("type", "unsubscribe_plan").put("plan_id", "left"));
            waitFor(() -> server.services().hub().subscribers("left") == 0);
            server.publishAndWait("left", List.of(ev("run.started", null, null, "{\"query\":\"left\"}")));
            server.publishAndWait("kept", List.of(ev("run.started", null, null, "{\"query\":\"kept\"}")));
            JsonNode f = c.next();
            assertThat(f.path("data").path("plan_id").asText()).isEqualTo("kept");
        }
    }

    @Test
    void badInput_isAnsweredWithTheClientsErrorShape_andChangesNothing() {
        try (FrameClient c = FrameClient.connect(port, PlanPageFormat.PATH)) {
            c.send("not json");
            c.send("[1,2]");
            c.send("{\"type\":\"dance\",\"plan_id\":\"p\"}");
            c.send("{\"type\":\"subscribe_plan\"}");
            c.send("{\"type\":\"subscribe_plan\",\"plan_id\":7}");
            c.send("{\"type\":\"subscribe_plan\",\"plan_id\":\"bad id!\"}");
            List<String> codes = List.of("bad_json", "bad_request", "unknown_op", "bad_request", "bad_request", "invalid_run");
            for (String code : codes) {
                JsonNode f = c.next();
                assertThat(f.path("type").asText()).isEqualTo("error");
                assertThat(f.path("data").path("code").asText()).isEqualTo(code);
                assertThat(f.path("data").path("error").asText()).isNotBlank();
                assertThat(f.path("data").path("content").asText()).isNotBlank();
            }
            assertThat(server.services().hub().subscribers("bad id!")).isZero();
            assertThat(server.engine().info("p")).isEmpty();
            // the connection still works
            c.send(Json.object().put("type", "subscribe_plan").put("plan_id", "after-errors"));
            assertThat(c.next().path("type").asText()).isEqualTo("subscription_confirmed");
            waitFor(() -> server.services().hub().subscribers("after-errors") == 1);
            server.publishAndWait("after-errors", List.of(ev("run.started", null, null, "{}")));
            assertThat(c.next().path("type").asText()).isEqualTo("plan_update");
        }
    }

    @Test
    void testStreamingEndpoint_answersAtOnce_andStreamsTheSamplePlan_overAConnectionThatNeverPings() throws Exception {
        try (FrameClient c = subscribed("sample-1")) {
            var answer = post(port, "/api/test/streaming/sample-1", "");
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode body = Json.parse(answer.body());
            assertThat(body.path("status").asText()).isEqualTo("success");
            assertThat(body.path("message").asText()).isNotBlank();

            // 18 events 60 ms apart outlast the 400 ms idle and handshake timeouts of the native protocol
            List<JsonNode> frames = c.until(f -> isType(f, "plan_update") && f.path("data").path("status").asText().equals("completed"), 10_000);
            assertThat(frames).hasSize(SamplePlan.SCRIPT.size());
            assertThat(frames).extracting(f -> f.path("type").asText()).contains("plan_update", "step_update", "agent_message");
            assertThat(frames).extracting(f -> f.path("data").path("message_type").asText()).contains("thinking", "action", "result");
            assertThat(frames).allSatisfy(f -> {
                assertThat(f.path("data").path("content").asText()).isNotBlank();
                assertThat(f.path("data").path("plan_id").asText()).isEqualTo("sample-1");
            });
            assertThat(frames.get(0).path("data").path("content").asText()).contains("Q3");
            assertThat(c.closed).isNotDone();
        }
        assertThat(server.engine().info("sample-1").orElseThrow().closed()).isTrue();

        var again = post(port, "/api/test/streaming/sample-1", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Json.parse(again.body()).path("status").asText()).isEqualTo("error");
        assertThat(post(port, "/api/test/streaming/bad%20id!", "").statusCode()).isEqualTo(400);
        assertThat(get(port, "/api/test/streaming/sample-2").statusCode()).isEqualTo(405);
        assertThat(server.engine().info("sample-2")).isEmpty();
    }
}
