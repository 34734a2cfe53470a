package io.runcast.seeds.research;

import static io.runcast.testing.TestServer.get;
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

/** Seed 001 from its document: the welcome, history replay on every subscription, the event shape, ping/pong, the REST routes. */
class ResearchFormatTest {
    static final String WS = "/api/v1/streaming/ws/";
    RuncastServer server;
    int port;

    @BeforeEach
    void start() {
        server = TestServer.start(b -> b.idleTimeout(Duration.ofMillis(500)).handshakeTimeout(Duration.ofMillis(500)));
        server.endpoints().add(new ResearchFormat(server.services(), Duration.ofMillis(100)));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static EventDraft ev(String type, String step, String json) {
        return new EventDraft(type, step, null, json, null);
    }

    static boolean isType(JsonNode f, String type) {
        return type.equals(f.path("event_type").asText());
    }

    /** Skips heartbeats. */
    static JsonNode next(FrameClient c) {
        return c.await(f -> !(isType(f, "ping") && f.path("data").path("message").asText().equals("heartbeat")), 5000);
    }

    /** Frames up to the first of {@code lastType}, heartbeats left out. */
    static List<JsonNode> until(FrameClient c, String lastType) {
        return c.until(f -> isType(f, lastType), 5000).stream().filter(f -> !isType(f, "ping")).toList();
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

    static void assertWelcome(JsonNode f) {
        assertThat(f.path("event_type").asText()).isEqualTo("ping");
        assertThat(f.path("plan_id").asText()).isEqualTo("system");
        assertThat(f.path("data").path("message").asText()).isNotBlank();
    }

    @Test
    void connectWithPlanId_welcomes_thenReplaysTheHistory_thenStreamsLive_inTheStreamEventShape() {
        List<Event> history = server.publishAndWait("plan_456", List.of(
                ev("run.started", null, "{\"query\":\"Research query\",\"total_steps\":1}"),
                ev("step.started", "step_1", "{\"action\":\"search\"}"),
                ev("agent.thinking", "step_1", "{\"content\":\"not a 001 event\"}"),
                ev("step.progress", "step_1", "{\"progress\":50,\"message\":\"Processing data...\"}")));
        try (FrameClient c = FrameClient.connect(port, WS + "client_123?plan_id=plan_456")) {
            assertWelcome(next(c));
            JsonNode started = next(c);
            assertThat(started.fieldNames()).toIterable().containsExactly("event_type", "plan_id", "step_id", "data", "timestamp", "event_id");
            assertThat(started.path("event_type").asText()).isEqualTo("plan_started");
            assertThat(started.path("plan_id").asText()).isEqualTo("plan_456");
            assertThat(started.path("step_id").isNull()).isTrue();
            assertThat(started.path("data").path("query").asText()).isEqualTo("Research query");
            assertThat(Instant.parse(started.path("timestamp").asText())).isEqualTo(history.get(0).time());
            assertThat(started.path("event_id").asText()).isEqualTo(history.get(0).id());
            JsonNode step = next(c);
            assertThat(step.path("event_type").asText()).isEqualTo("step_started");
            assertThat(step.path("step_id").asText()).isEqualTo("step_1");
            JsonNode progress = next(c);
            assertThat(progress.path("event_type").asText()).as("agent.thinking has no 001 event").isEqualTo("step_progress");
            assertThat(progress.path("data").path("progress").asDouble()).isEqualTo(0.5);
            assertThat(progress.path("data").path("message").asText()).isEqualTo("Processing data...");

            server.publishAndWait("plan_456", List.of(ev("step.progress", "step_1", "{\"progress\":75}"),
                    ev("step.completed", "step_1", "{\"result\":{\"findings\":[1]}}"),
                    ev("run.completed", null, "{}")));
            JsonNode live = next(c);
            assertThat(live.path("data").path("progress").asDouble()).isEqualTo(0.75);
            assertThat(live.path("data").path("message").asText()).isEqualTo("Processing 75%");
            JsonNode done = next(c);
            assertThat(done.path("event_type").asText()).isEqualTo("step_completed");
            assertThat(done.path("data").path("result").path("findings").get(0).asInt()).isEqualTo(1);
            JsonNode completed = next(c);
            assertThat(completed.path("event_type").asText()).isEqualTo("plan_completed");
            assertThat(completed.path("data").path("status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void subscribeLater_replaysHistoryFirst_subscribingAgainAddsNothing_andPingIsAnsweredWithPong() {
        server.publishAndWait("later", List.of(ev("run.started", null, "{}"), ev("step.started", "s1", "{}")));
        try (FrameClient c = FrameClient.connect(port, WS + "late-joiner")) {
            assertWelcome(next(c));
            c.send(Json.object().put("action", "subscribe").put("plan_id", "later"));
            assertThat(next(c).path("event_type").asText()).isEqualTo("plan_started");
            assertThat(next(c).path("event_type").asText()).isEqualTo("step_started");
            c.send(Json.object().put("action", "subscribe").put("plan_id", "later"));
            c.send(Json.object().put("action", "ping").put("timestamp", 1234.5));
            JsonNode pong = next(c);
            assertThat(pong.path("event_type").asText()).as("no second replay before the pong").isEqualTo("pong");
            assertThat(pong.path("plan_id").asText()).isEqualTo("system");
            assertThat(pong.path("data").path("timestamp").asDouble()).isEqualTo(1234.5);
            assertThat(server.services().hub().subscribers("later")).isEqualTo(1);

            server.publishAndWait("later", List.of(ev("step.failed", "s1", "{\"error\":\"boom\"}"), ev("run.failed", null, "{\"reason\":\"boom\",\"step\":\"s1\"}")));
            List<JsonNode> rest = until(c, "plan_failed");
            assertThat(rest).extracting(f -> f.path("event_type").asText()).containsExactly("step_failed", "plan_failed");
            assertThat(rest.get(1).path("data").path("error").asText()).isEqualTo("boom");
            assertThat(rest.get(1).path("data").path("failed_step").asText()).isEqualTo("s1");
        }
    }

    @Test
    void rest_listsClients_countsSubscribers_andServesHistoryInTheSameShape() {
        List<Event> published = server.publishAndWait("rest-plan", List.of(ev("run.started", null, "{}"),
                ev("quality.check", "s1", "{\"score\":0.9,\"passed\":true}"), ev("log.line", null, "{\"message\":\"x\"}"),
                ev("run.cancelled", null, "{\"by\":\"ann\"}")));
        try (FrameClient a = FrameClient.connect(port, WS + "client_a?plan_id=rest-plan");
             FrameClient b = FrameClient.connect(port, WS + "client_b")) {
            assertWelcome(next(a));
            assertWelcome(next(b));
            List<JsonNode> replayed = until(a, "plan_failed");

            JsonNode clients = Json.parse(get(port, "/api/v1/streaming/clients").body());
            assertThat(clients.path("client_count").asInt()).isEqualTo(2);
            assertThat(clients.path("clients")).extracting(JsonNode::asText).containsExactlyInAnyOrder("client_a", "client_b");
            JsonNode subs = Json.parse(get(port, "/api/v1/streaming/plans/rest-plan/subscribers").body());
            assertThat(subs.path("plan_id").asText()).isEqualTo("rest-plan");
            assertThat(subs.path("subscriber_count").asInt()).as("an ended plan stays subscribed until unsubscribe").isEqualTo(1);

            JsonNode history = Json.parse(get(port, "/api/v1/streaming/plans/rest-plan/history").body());
            assertThat(history.path("plan_id").asText()).isEqualTo("rest-plan");
            assertThat(history.path("event_count").asInt()).as("log.line is not a 001 event").isEqualTo(3);
            assertThat(history.path("events")).containsExactlyElementsOf(replayed);
            assertThat(history.path("events").get(1).path("data").path("quality_score").asDouble()).isEqualTo(0.9);
            JsonNode cancelled = history.path("events").get(2);
            assertThat(cancelled.path("event_type").asText()).isEqualTo("plan_failed");
            assertThat(cancelled.path("data").path("status").asText()).isEqualTo("cancelled");
            assertThat(cancelled.path("event_id").asText()).isEqualTo(published.get(3).id());

            a.send(Json.object().put("action", "unsubscribe").put("plan_id", "rest-plan"));
            waitFor(() -> Json.parse(get(port, "/api/v1/streaming/plans/rest-plan/subscribers").body()).path("subscriber_count").asInt() == 0);
            b.close();
            waitFor(() -> Json.parse(get(port, "/api/v1/streaming/clients").body()).path("client_count").asInt() == 1);
        }
        JsonNode none = Json.parse(get(port, "/api/v1/streaming/plans/nobody/history").body());
        assertThat(none.path("event_count").asInt()).isZero();
        assertThat(get(port, "/api/v1/streaming/plans/bad%20id!/history").statusCode()).isEqualTo(400);
    }

    @Test
    void badInput_getsAnErrorEvent_andChangesNothing() {
        try (FrameClient c = FrameClient.connect(port, WS + "client_bad")) {
            assertWelcome(next(c));
            c.send("{oops");
            c.send("\"a string\"");
            c.send("{\"action\":\"dance\"}");
            c.send("{\"action\":\"subscribe\"}");
            c.send("{\"action\":\"subscribe\",\"plan_id\":\"bad id!\"}");
            for (String code : List.of("bad_json", "bad_request", "unknown_op", "bad_request", "invalid_run")) {
                JsonNode f = next(c);
                assertThat(f.path("event_type").asText()).isEqualTo("error");
                assertThat(f.path("data").path("code").asText()).isEqualTo(code);
                assertThat(f.path("data").path("message").asText()).isNotBlank();
                assertThat(f.path("event_id").asText()).isNotBlank();
            }
            c.send(Json.object().put("action", "ping"));
            assertThat(next(c).path("event_type").asText()).isEqualTo("pong");
            assertThat(Json.parse(get(port, "/api/v1/streaming/plans/bad%20id!/subscribers").body()).path("subscriber_count").asInt()).isZero();
            assertThat(server.services().hub().subscribers("bad id!")).isZero();
        }
    }

    @Test
    void heartbeat_pingsEveryInterval_andTheConnectionOutlivesTheNativeIdleTimeout() {
        try (FrameClient c = FrameClient.connect(port, WS + "quiet")) {
            assertWelcome(c.next());
            // the client says nothing; twelve 100 ms heartbeats span more than the 500 ms idle timeout
            for (int i = 0; i < 12; i++) {
                JsonNode beat = c.next(2000);
                assertThat(beat.path("event_type").asText()).isEqualTo("ping");
                assertThat(beat.path("data").path("message").asText()).isEqualTo("heartbeat");
            }
            c.send(Json.object().put("action", "ping"));
            assertThat(next(c).path("event_type").asText()).isEqualTo("pong");
            assertThat(c.closed).isNotDone();
        }
    }
}
