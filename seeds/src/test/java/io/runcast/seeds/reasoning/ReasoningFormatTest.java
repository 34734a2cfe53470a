package io.runcast.seeds.reasoning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.seeds.testing.ChatFixture;
import io.runcast.seeds.testing.FrameClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seed 002 over a real server and real sockets, written from the document's examples. */
class ReasoningFormatTest {
    static ChatFixture chats;

    @BeforeAll
    static void start() {
        chats = ChatFixture.start();
        chats.server.endpoints().add(new ReasoningFormat(chats.server.services(), Duration.ofMillis(300)));
    }

    @AfterAll
    static void stop() {
        chats.close();
    }

    static FrameClient connect(String pathAndQuery) {
        return FrameClient.connect(chats.port(), pathAndQuery, "ping");
    }

    static ObjectNode chat(String message, boolean reasoning) {
        ObjectNode f = Json.object().put("type", "chat");
        f.putObject("payload").put("message", message).put("agent_name", "researcher").put("enable_reasoning", reasoning);
        return f;
    }

    static List<JsonNode> steps(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.path("type").asText().equals("reasoning_step")).map(f -> f.path("data")).toList();
    }

    static List<String> stepTypes(List<JsonNode> frames) {
        return steps(frames).stream().map(s -> s.path("type").asText()).toList();
    }

    @Test
    void connect_greets_andAChatStreamsReasoningSteps_thenReasoningCompleteLast() {
        try (FrameClient c = connect("/ws/chat/sess-1?agent_name=researcher")) {
            JsonNode hello = c.next();
            assertThat(hello.path("type").asText()).isEqualTo("connected");
            assertThat(hello.path("data").path("session_id").asText()).isEqualTo("sess-1");
            assertThat(hello.path("data").path("agent_name").asText()).isEqualTo("researcher");
            assertThat(hello.path("data").path("message").asText()).isNotBlank();

            double before = System.currentTimeMillis() / 1000.0;
            c.send(chat("What is 17 * 23 + 4?", true));
            List<JsonNode> frames = c.until("reasoning_complete");
            assertThat(frames.get(0).path("type").asText()).isEqualTo("reasoning_start");
            assertThat(frames.get(0).path("data").path("message").asText()).isEqualTo("What is 17 * 23 + 4?");
            assertThat(frames.get(0).path("data").path("workflow_id").asText()).isEqualTo("sess-1.1");
            assertThat(frames).extracting(f -> f.path("type").asText()).containsOnly("reasoning_start", "reasoning_step", "reasoning_complete");
            assertThat(stepTypes(frames)).containsSubsequence("thought", "tool_use", "tool_result", "final_answer");

            List<JsonNode> steps = steps(frames);
            JsonNode use = steps.stream().filter(s -> s.path("type").asText().equals("tool_use")).findFirst().orElseThrow();
            assertThat(use.path("tool_name").asText()).isEqualTo("calculator");
            assertThat(Json.parse(use.path("content").asText()).path("expression").asText()).isEqualTo("17 * 23 + 4");
            JsonNode result = steps.stream().filter(s -> s.path("type").asText().equals("tool_result")).findFirst().orElseThrow();
            assertThat(result.path("tool_name").asText()).isEqualTo("calculator");
            assertThat(result.path("content").asText()).contains("395");
            JsonNode answer = steps.get(steps.size() - 1);
            assertThat(answer.path("type").asText()).isEqualTo("final_answer");
            assertThat(answer.path("content").asText()).isEqualTo("17 * 23 + 4 = 395.");
            for (JsonNode s : steps) {
                assertThat(s.path("timestamp").isDouble()).as("epoch seconds with a fraction: %s", s).isTrue();
                assertThat(s.path("timestamp").asDouble()).isBetween(before - 5, System.currentTimeMillis() / 1000.0 + 1);
                assertThat(s.path("iteration").asInt()).isPositive();
            }
            // the tool's use and result belong to the iteration of the thought that led to them
            assertThat(result.path("iteration").asInt()).isEqualTo(use.path("iteration").asInt());
            assertThat(steps.get(0).path("iteration").asInt()).isEqualTo(1);

            JsonNode done = frames.get(frames.size() - 1).path("data");
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(chats.types("sess-1.1")).last().isEqualTo(EventTypes.RUN_COMPLETED);
        }
    }

    @Test
    void reasoningOff_sendsTheAnswerAsOneResponse_thenReasoningComplete() {
        try (FrameClient c = connect("/ws/chat/sess-plain")) {
            assertThat(c.next().path("data").path("agent_name").asText()).isEqualTo(ReasoningFormat.DEFAULT_AGENT_NAME);
            c.send(chat("What is 2 ^ 10?", false));
            List<JsonNode> frames = c.until("reasoning_complete");
            assertThat(frames).extracting(f -> f.path("type").asText()).containsExactly("reasoning_start", "response", "reasoning_complete");
            assertThat(frames.get(1).path("data").path("content").asText()).contains("1024");
        }
    }

    @Test
    void interrupt_cancelsTheRunningChat() {
        try (FrameClient c = connect("/ws/chat/sess-int")) {
            c.next();
            // the scripted agent waits for a person to approve saving a note: the turn is held running
            c.send(chat("Remember that the review is on Friday.", true));
            c.await(f -> f.path("data").path("type").asText().equals("tool_use"), 10_000);
            c.send(Json.object().put("type", "interrupt").set("payload", Json.object()));
            List<JsonNode> rest = c.until("reasoning_complete");
            assertThat(rest).extracting(f -> f.path("type").asText()).contains("interrupted");
            assertThat(rest.get(rest.size() - 1).path("data").path("status").asText()).isEqualTo("cancelled");
            assertThat(chats.types("sess-int.1")).last().isEqualTo(EventTypes.RUN_CANCELLED);

            // nothing runs now: a second interrupt is explained, and the session takes a new chat
            c.send(Json.object().put("type", "interrupt"));
            assertThat(c.awaitType("error").path("data").path("message").asText()).startsWith("Nothing to interrupt");
            c.send(chat("What is 3 * 3?", true));
            assertThat(c.until("reasoning_complete").get(0).path("data").path("workflow_id").asText()).isEqualTo("sess-int.2");
        }
    }

    @Test
    void ping_isAnsweredWithPong_andTheServerSendsItsOwnHeartbeat() {
        try (FrameClient c = connect("/ws/chat/sess-ping")) {
            c.next();
            c.send(Json.object().put("type", "ping").put("timestamp", 12.5));
            JsonNode pong = c.awaitType("pong");
            assertThat(pong.path("data").path("timestamp").asDouble()).isEqualTo(12.5);
            assertThat(Json.write(c.awaitType("ping"))).isEqualTo("{\"type\":\"ping\"}");
            assertThat(Json.write(c.awaitType("ping"))).as("and again").isEqualTo("{\"type\":\"ping\"}");
        }
    }

    @Test
    void badInput_getsAnErrorFrame_andStartsNothing() {
        try (FrameClient c = connect("/ws/chat/sess-bad")) {
            c.next();
            c.send("this is not json");
            assertThat(c.next().path("data").path("message").asText()).startsWith("Invalid message format");
            c.send(Json.object().put("type", "dance"));
            assertThat(c.next().path("data").path("message").asText()).isEqualTo("Unknown message type: dance");
            c.send(Json.object().put("type", "chat").set("payload", Json.object().put("message", " ")));
            assertThat(c.next().path("data").path("message").asText()).isEqualTo("Message content is required");
            c.send(Json.object().put("type", "chat").set("payload", Json.object().put("message", "hi").put("enable_reasoning", "yes")));
            JsonNode wrongType = c.next();
            assertThat(wrongType.path("type").asText()).isEqualTo("error");
            assertThat(wrongType.path("data").path("message").asText()).contains("enable_reasoning");
            c.send(Json.object().put("type", "interrupt"));
            assertThat(c.next().path("data").path("message").asText()).startsWith("Nothing to interrupt");
            c.send(Json.object().put("type", "ping"));
            assertThat(c.next().path("type").asText()).as("the connection still works").isEqualTo("pong");
            assertThat(chats.server.engine().info("sess-bad.1")).as("no run was started").isEmpty();
        }
        try (FrameClient c = connect("/ws/chat/has.dot")) {
            c.next();
            c.send(chat("hello", true));
            JsonNode refused = c.next();
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("data").path("message").asText()).contains("conversation id");
        }
    }

    @Test
    void aSecondChatWhileOneRuns_isRefused_andTheFirstGoesOn() {
        try (FrameClient c = connect("/ws/chat/sess-busy")) {
            c.next();
            c.send(chat("Remember that lunch is at noon.", true));
            c.await(f -> f.path("data").path("type").asText().equals("tool_use"), 10_000);
            c.send(chat("What is 1 + 1?", true));
            JsonNode busy = c.awaitType("error");
            assertThat(busy.path("data").path("message").asText()).contains("still answering");
            assertThat(chats.server.engine().info("sess-busy.1").orElseThrow().status().wire()).isEqualTo("running");
            assertThat(chats.server.engine().info("sess-busy.2")).isEmpty();
            c.send(Json.object().put("type", "interrupt"));
            c.awaitType("reasoning_complete");
        }
    }
}
