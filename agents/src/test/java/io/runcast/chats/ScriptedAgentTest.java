package io.runcast.chats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.builtin.Builtins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scripted agent through the real server: what each kind of message streams. */
class ScriptedAgentTest {
    static RuncastServer server;
    static PlanExecutor executor;
    static ToolDispatcher tools;
    static ChatRunner runner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        tools = new ToolDispatcher(Builtins.registry());
        runner = new ChatRunner(server.engine(), executor, List.of(new ScriptedAgent(tools, 0, Duration.ofSeconds(20))), ChatConfig.DEFAULT);
        server.chats().install(runner);
    }

    @AfterAll
    static void stop() {
        runner.close();
        executor.close();
        tools.close();
        server.close();
    }

    static WsTestClient connect() {
        WsTestClient c = WsTestClient.connect(server.port());
        c.awaitOp("connected");
        return c;
    }

    static String chat(WsTestClient c, String conversation, String message) {
        c.send(Json.object().put("op", "chat").put("conversation", conversation).put("message", message));
        return c.awaitOp("started").path("run").asText();
    }

    static List<JsonNode> events(WsTestClient c, String run) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode f = c.next(10_000);
            if (!run.equals(f.path("run").asText())) continue;
            if (f.path("op").asText().equals("end")) return out;
            if (f.path("op").asText().equals("event")) out.add(f);
        }
    }

    static JsonNode first(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type)).path("data");
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    @Test
    void arithmetic_usesTheCalculator_andStreamsTheAnswerWordByWord() {
        try (WsTestClient c = connect()) {
            List<JsonNode> events = events(c, chat(c, "math-1", "What is 17 * 23 + 4?"));
            assertThat(first(events, EventTypes.WORKFLOW_ROUTE).path("pipeline").asText()).isEqualTo("light");
            assertThat(first(events, EventTypes.TOOL_CALL).path("input").path("expression").asText()).isEqualTo("17 * 23 + 4");
            assertThat(first(events, EventTypes.TOOL_RESULT).path("output").path("result").asInt()).isEqualTo(395);
            assertThat(first(events, EventTypes.ANSWER_FINAL).path("text").asText()).isEqualTo("17 * 23 + 4 = 395.");
            assertThat(types(events).stream().filter(EventTypes.ANSWER_DELTA::equals)).hasSize(7);
            assertThat(types(events)).containsSubsequence(EventTypes.AGENT_THINKING, EventTypes.TOOL_CALL, EventTypes.TOOL_RESULT,
                    EventTypes.ANSWER_DELTA, EventTypes.ANSWER_FINAL, EventTypes.RUN_COMPLETED);
        }
    }

    @Test
    void theTimeInACity_usesItsZone() {
        try (WsTestClient c = connect()) {
            List<JsonNode> events = events(c, chat(c, "time-1", "What time is it in Tokyo?"));
            assertThat(first(events, EventTypes.TOOL_CALL).path("input").path("timezone").asText()).isEqualTo("Asia/Tokyo");
            assertThat(first(events, EventTypes.ANSWER_FINAL).path("text").asText()).contains("Asia/Tokyo");
        }
    }

    @Test
    void aNoteWaitsForApproval_andIsFoundAfterwards_inTheSameConversation() {
        try (WsTestClient c = connect()) {
            String run = chat(c, "notes-1", "Remember that the launch review is on Friday at 10:00.");
            JsonNode asked = c.await(f -> f.path("type").asText().equals(EventTypes.DECISION_REQUESTED), 10_000);
            assertThat(asked.path("data").path("context").path("tool").asText()).isEqualTo("save_note");
            c.send(Json.object().put("op", "decide").put("run", run).put("decision", asked.path("data").path("decision").asText())
                    .put("choice", "approve"));
            List<JsonNode> saved = events(c, run);
            assertThat(first(saved, EventTypes.ANSWER_FINAL).path("text").asText()).startsWith("Saved:");

            List<JsonNode> found = events(c, chat(c, "notes-1", "What do my notes say about the launch?"));
            assertThat(first(found, EventTypes.TOOL_CALL).path("tool").asText()).isEqualTo("search_notes");
            assertThat(first(found, EventTypes.ANSWER_FINAL).path("text").asText()).contains("Friday at 10:00");
            assertThat(first(found, EventTypes.RUN_STARTED).path("history_messages").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aComplexAsk_runsTheFullPipeline_withStagesAndAReview() {
        try (WsTestClient c = connect()) {
            List<JsonNode> events = events(c, chat(c, "design-1",
                    "Compare WebSockets and Server-Sent Events for streaming agent runs, and plan a rollout for our team."));
            assertThat(first(events, EventTypes.WORKFLOW_ROUTE).path("pipeline").asText()).isEqualTo("full");
            assertThat(events.stream().filter(e -> e.path("type").asText().equals(EventTypes.WORKFLOW_STAGE))
                    .map(e -> e.path("data").path("stage").asText())).containsExactly("analyze", "respond", "review");
            assertThat(first(events, EventTypes.QUALITY_CHECK).path("passed").asBoolean()).isTrue();
            assertThat(types(events)).doesNotContain(EventTypes.TOOL_CALL);
            assertThat(events.get(events.size() - 1).path("data").path("summary").path("phases_ms").size()).isEqualTo(3);
        }
    }

    @Test
    void theSameMessage_streamsTheSameEvents() {
        try (WsTestClient c = connect()) {
            List<String> a = types(events(c, chat(c, "same-a", "What is 2 ^ 10?")));
            List<String> b = types(events(c, chat(c, "same-b", "What is 2 ^ 10?")));
            assertThat(a).isEqualTo(b);
        }
    }
}
