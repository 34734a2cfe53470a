package io.runcast.seeds.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.seeds.testing.ChatFixture;
import io.runcast.seeds.testing.FrameClient;
import io.runcast.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seed 004 over a real server and real sockets, written from the document's and the examples. */
class FleetFormatTest {
    static ChatFixture chats;

    @BeforeAll
    static void start() {
        chats = ChatFixture.start();
        chats.server.endpoints().add(new FleetFormat(chats.server.services(),
                new FleetConfig(Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofSeconds(30))));
    }

    @AfterAll
    static void stop() {
        chats.close();
    }

    static FrameClient open() {
        return FrameClient.connect(chats.port(), "/api/ws/chat", "heartbeat");
    }

    static ObjectNode request(String conversation, String message) {
        return Json.object().put("message", message).put("conversation_id", conversation).put("stream", true);
    }

    static String conversation(String title) {
        var res = TestServer.post(chats.port(), "/api/conversations", Json.write(Json.object().put("title", title)));
        assertThat(res.statusCode()).isEqualTo(201);
        JsonNode c = Json.parse(res.body());
        assertThat(c.path("title").asText()).isEqualTo(title);
        assertThat(c.path("messages").isArray() && c.path("messages").isEmpty()).isTrue();
        assertThat(c.path("created_at").asText()).isEqualTo(c.path("updated_at").asText());
        return c.path("id").asText();
    }

    static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    static int delete(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + chats.port() + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aRequest_streamsConnected_theRunsEvents_oneResponseCompleted_thenDone_andTheSocketStaysOpen() {
        String conv = conversation("Math");
        try (FrameClient c = open()) {
            c.send(request(conv, "What is 17 * 23 + 4?").put("reasoning_effort", "minimal"));
            List<JsonNode> frames = c.until("done");
            JsonNode connected = frames.get(0);
            assertThat(connected.path("type").asText()).isEqualTo("connected");
            assertThat(connected.path("data").path("conversation_id").asText()).isEqualTo(conv);
            String run = conv + ".1";
            assertThat(connected.path("workflow_id").asText()).isEqualTo(run);

            List<String> types = types(frames);
            assertThat(types).containsSubsequence("connected", "orchestrator.message", "agent.start", "reasoning.delta",
                    "reasoning.completed", "agent.message", "agent.output", "response.delta", "response.completed", "agent.complete", "done");
            assertThat(types.stream().filter("response.completed"::equals)).hasSize(1);
            assertThat(types.get(types.size() - 1)).isEqualTo("done");
            for (JsonNode f : frames) {
                assertThat(f.path("workflow_id").asText()).as("%s", f).isEqualTo(run);
                assertThat(f.path("timestamp").asText()).as("%s", f).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            }
            JsonNode route = frames.stream().filter(f -> "routing".equals(f.path("kind").asText())).findFirst().orElseThrow();
            assertThat(route.path("type").asText()).isEqualTo("orchestrator.message");
            assertThat(route.path("data").path("pipeline").asText()).isEqualTo("light");
            assertThat(route.path("log_line").asText()).contains("[workflow.route]");
            assertThat(route.path("ui_hint").path("component").asText()).isNotEmpty();
            JsonNode call = frames.stream().filter(f -> "tool_call".equals(f.path("kind").asText())).findFirst().orElseThrow();
            assertThat(call.path("agent_id").asText()).isEqualTo("scripted");
            assertThat(call.path("data").path("input").path("expression").asText()).isEqualTo("17 * 23 + 4");
            JsonNode completed = frames.stream().filter(f -> f.path("type").asText().equals("response.completed")).findFirst().orElseThrow();
            assertThat(completed.path("message").asText()).isEqualTo("17 * 23 + 4 = 395.");
            String deltas = frames.stream().filter(f -> f.path("type").asText().equals("response.delta"))
                    .map(f -> f.path("delta").asText()).reduce("", String::concat);
            assertThat(deltas.trim()).isEqualTo("17 * 23 + 4 = 395.");
            JsonNode reasoning = frames.stream().filter(f -> f.path("type").asText().equals("reasoning.completed")).findFirst().orElseThrow();
            assertThat(reasoning.path("reasoning").asText()).isNotBlank();
            assertThat(frames.get(frames.size() - 1).path("data").path("summary").has("time_to_done_ms")).isTrue();

            // the socket stays open after done (a server close would make reconnecting-websocket ask again)
            assertThat(c.closed).isNotDone();

            // the conversation and the session are read back from the stored run
            JsonNode read = chats.get("/api/conversations/" + conv, 200);
            assertThat(read.path("title").asText()).isEqualTo("Math");
            assertThat(read.path("messages")).hasSize(2);
            assertThat(read.path("messages").get(0).path("role").asText()).isEqualTo("user");
            assertThat(read.path("messages").get(0).path("content").asText()).isEqualTo("What is 17 * 23 + 4?");
            assertThat(read.path("messages").get(1).path("role").asText()).isEqualTo("assistant");
            assertThat(read.path("messages").get(1).path("content").asText()).isEqualTo("17 * 23 + 4 = 395.");
            assertThat(read.path("messages").get(1).path("agent_id").asText()).isEqualTo("scripted");
            assertThat(chats.get("/api/conversations", 200).findValuesAsText("id")).contains(conv);
            JsonNode session = chats.get("/api/sessions/" + run, 200);
            assertThat(session.path("status").asText()).isEqualTo("completed");
            assertThat(session.path("task").asText()).isEqualTo("What is 17 * 23 + 4?");
            assertThat(session.path("reasoning_effort").asText()).isEqualTo("minimal");
            assertThat(session.has("completed_at")).isTrue();
            assertThat(chats.get("/api/sessions", 200).findValuesAsText("workflow_id")).contains(run);

            // the same request again (reconnecting-websocket reopening) follows the same run: no second run
            try (FrameClient again = open()) {
                again.send(request(conv, "What is 17 * 23 + 4?"));
                List<JsonNode> replay = again.until("done");
                assertThat(replay.get(0).path("workflow_id").asText()).isEqualTo(run);
                assertThat(types(replay).stream().filter("response.completed"::equals)).hasSize(1);
            }
            assertThat(chats.server.engine().info(conv + ".2")).isEmpty();
            // nothing, not even a heartbeat, followed done on the first socket while the second streamed
            assertThat(c.frames).isEmpty();

            c.closeNormally();
            assertThat(c.closed.join()).isEqualTo(1000);
        }
        // a new message in the same conversation is its next turn, which sees the first
        try (FrameClient c = open()) {
            c.send(request(conv, "What is 2 ^ 10?"));
            assertThat(c.until("done").get(0).path("workflow_id").asText()).isEqualTo(conv + ".2");
        }
        assertThat(chats.get("/api/conversations/" + conv, 200).path("messages")).hasSize(4);
    }

    @Test
    void cancel_endsTheRunWithCancelledThenDone() {
        String conv = conversation("Notes");
        try (FrameClient c = open()) {
            c.send(request(conv, "Remember that the launch review is on Friday."));
            c.await(f -> "approval".equals(f.path("kind").asText()), 10_000);
            assertThat(c.awaitType("heartbeat").path("workflow_id").asText()).as("a held run keeps the socket alive").isEqualTo(conv + ".1");
            assertThat(chats.get("/api/sessions/" + conv + ".1", 200).path("status").asText()).isEqualTo("running");
            c.send(Json.object().put("type", "cancel"));
            List<JsonNode> rest = c.until("done");
            assertThat(types(rest).subList(rest.size() - 2, rest.size())).containsExactly("cancelled", "done");
            assertThat(types(rest)).doesNotContain("response.completed");
        }
        assertThat(chats.types(conv + ".1")).last().isEqualTo(EventTypes.RUN_CANCELLED);
        assertThat(chats.get("/api/sessions/" + conv + ".1", 200).path("status").asText()).isEqualTo("cancelled");
        JsonNode messages = chats.get("/api/conversations/" + conv, 200).path("messages");
        assertThat(messages.get(1).path("role").asText()).isEqualTo("system");
    }

    @Test
    void stop_cancelThenCloseAtOnce_stillCancelsTheRun() {
        String conv = conversation("Stop");
        FrameClient c = open();
        c.send(request(conv, "Remember that the window cleaner comes on Monday."));
        c.await(f -> "approval".equals(f.path("kind").asText()), 10_000);
        c.send(Json.object().put("type", "cancel"));
        c.close();
        chats.awaitStatus(conv + ".1", "cancelled");
    }

    @Test
    void aSecondMessageWhileTheTurnRuns_getsErrorThenDone() {
        String conv = conversation("Busy");
        try (FrameClient first = open(); FrameClient second = open()) {
            first.send(request(conv, "Remember that the dentist is on Tuesday."));
            first.await(f -> "approval".equals(f.path("kind").asText()), 10_000);
            second.send(request(conv, "What is 1 + 1?"));
            List<JsonNode> frames = second.until("done");
            assertThat(types(frames)).containsExactly("error", "done");
            assertThat(frames.get(0).path("error").asText()).contains("still answering");
            assertThat(chats.server.engine().info(conv + ".2")).isEmpty();
            assertThat(chats.server.engine().info(conv + ".1").orElseThrow().status().wire()).isEqualTo("running");
            first.send(Json.object().put("type", "cancel"));
            first.until("done");
        }
    }

    @Test
    void aFirstMessageThatIsNotAChatRequest_getsAnErrorAndTheSocketCloses() {
        int runs = chats.server.engine().list(1000, false).size();
        for (String bad : List.of("not json", "{\"type\":\"cancel\"}", "{\"conversation_id\":\"c\"}", "{\"message\":\"hi\",\"stream\":\"yes\"}",
                "{\"message\":\"hi\",\"reasoning_effort\":\"extreme\"}", "[1,2]")) {
            try (FrameClient c = open()) {
                c.send(bad);
                JsonNode error = c.next();
                assertThat(error.path("type").asText()).as(bad).isEqualTo("error");
                assertThat(error.path("error").asText()).as(bad).isNotBlank();
                assertThat(error.path("timestamp").asText()).as(bad).endsWith("Z");
                assertThat(c.closed.join()).as(bad).isEqualTo(4500);
            }
        }
        try (FrameClient silent = open()) {
            JsonNode error = silent.next();
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).contains("no chat request");
            assertThat(silent.closed.join()).isEqualTo(4002);
        }
        assertThat(chats.server.engine().list(1000, false)).as("no run was started").hasSize(runs);
    }

    @Test
    void sessions_areRuns_andDeleteCancelsARunningOne() throws Exception {
        JsonNode missing = Json.parse(TestServer.get(chats.port(), "/api/sessions/nope.1").body());
        assertThat(missing.path("detail").asText()).contains("not found");
        assertThat(delete("/api/sessions/nope.1")).isEqualTo(404);

        String conv = conversation("Delete me");
        try (FrameClient c = open()) {
            c.send(request(conv, "Remember that the car is due for service."));
            c.await(f -> "approval".equals(f.path("kind").asText()), 10_000);
            assertThat(delete("/api/sessions/" + conv + ".1")).isEqualTo(200);
            List<JsonNode> rest = c.until("done");
            assertThat(types(rest)).contains("cancelled");
        }
        assertThat(chats.get("/api/sessions/" + conv + ".1", 200).path("status").asText()).isEqualTo("cancelled");
        assertThat(delete("/api/sessions/" + conv + ".1")).as("already ended").isEqualTo(409);
    }

    @Test
    void conversations_refuseBadInput_andUnknownIds() {
        var res = TestServer.post(chats.port(), "/api/conversations", "{\"title\": 7}");
        assertThat(res.statusCode()).isEqualTo(422);
        assertThat(Json.parse(res.body()).path("detail").asText()).contains("title");
        assertThat(Json.parse(TestServer.get(chats.port(), "/api/conversations/conv-unknown").body()).path("detail").asText())
                .contains("not found");
        assertThat(TestServer.get(chats.port(), "/api/conversations/conv-unknown").statusCode()).isEqualTo(404);
        var untitled = Json.parse(TestServer.post(chats.port(), "/api/conversations", "").body());
        assertThat(untitled.path("title").asText()).isEqualTo(FleetConversations.DEFAULT_TITLE);
    }
}
