package io.runcast.llm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.chats.ChatConfig;
import io.runcast.chats.ChatRunner;
import io.runcast.event.EventTypes;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.llm.LlmClient;
import io.runcast.llm.LlmConfig;
import io.runcast.llm.fake.FakeOpenAi;
import io.runcast.llm.fake.RecordedRequest;
import io.runcast.llm.fake.Reply;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import io.runcast.tool.Tool;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.ToolRegistry;
import io.runcast.tool.builtin.Builtins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM agent end to end: a chat over the real WebSocket of a real server, answered through the
 * executor by a model that is a local server speaking the chat-completions streaming protocol byte for
 * byte ({@link FakeOpenAi}).
 */
class LlmChatTest {
    static final String LOOKUP_SCHEMA = """
            {"type":"object","properties":{"query":{"type":"string","minLength":1}},"required":["query"],"additionalProperties":false}""";

    FakeOpenAi model;
    RuncastServer server;
    PlanExecutor executor;
    ToolDispatcher tools;
    LlmClient client;
    ChatRunner runner;
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger deletions = new AtomicInteger();

    @BeforeEach
    void start() {
        model = FakeOpenAi.start();
        server = TestServer.start();
        executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        ToolRegistry registry = Builtins.registry();
        registry.register(Tool.named("lookup").describedAs("Looks a word up in the glossary.").parameters(LOOKUP_SCHEMA)
                .cachedFor(Duration.ofMinutes(5)).handler((args, ctx) -> {
                    lookups.incrementAndGet();
                    return io.runcast.event.Json.object().put("definition", "a " + args.get("query").asText() + " is a unit of work");
                }));
        registry.register(Tool.named("delete_file").describedAs("Deletes a file.").parameters(
                        "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}")
                .needsApproval().handler((args, ctx) -> {
                    deletions.incrementAndGet();
                    return io.runcast.event.Json.object().put("deleted", args.get("path").asText());
                }));
        tools = new ToolDispatcher(registry);
        client = new LlmClient(LlmConfig.of(model.baseUrl(), "test-model", "sk-test")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(800), Duration.ofMillis(800))
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(200)));
        LlmAgent agent = new LlmAgent("model", client, tools, LlmAgentConfig.DEFAULT.withApprovalTimeout(Duration.ofSeconds(20)));
        runner = new ChatRunner(server.engine(), executor, List.of(agent), ChatConfig.DEFAULT);
        server.chats().install(runner);
    }

    @AfterEach
    void stop() {
        runner.close();
        executor.close();
        tools.close();
        client.close();
        server.close();
        model.close();
    }

    WsTestClient connect() {
        WsTestClient c = WsTestClient.connect(server.port());
        c.awaitOp("connected");
        return c;
    }

    /** Sends a chat (light pipeline unless {@code light} is false) and returns its run id. */
    static String chat(WsTestClient c, String message, boolean light) {
        c.send(io.runcast.event.Json.object().put("op", "chat").put("message", message)
                .set("options", io.runcast.event.Json.object().put("light", light)));
        return c.awaitOp("started").path("run").asText();
    }

    /** The run's events (frames with op "event") up to and including its terminal event. */
    static List<JsonNode> events(WsTestClient c, String run) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode f = c.next(15_000);
            if (!run.equals(f.path("run").asText())) continue;
            if (f.path("op").asText().equals("end")) return out;
            if (f.path("op").asText().equals("event")) out.add(f);
        }
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    static JsonNode first(List<JsonNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).findFirst().orElseThrow(
                () -> new AssertionError("no " + type + " in " + types(events))).path("data");
    }

    static JsonNode last(List<JsonNode> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void aChatStreamsThinking_toolCall_toolResult_deltas_andTheFinalAnswer() {
        model.enqueue(Reply.stream().reasoning("The user wants a product.", " I should compute it.\n\n", "Use the calculator.")
                        .toolCall(0, "call_a", "calculator", "{\"expr", "ession\": \"17 ", "* 23\"}")
                        .usage(120, 18),
                Reply.stream().content("17 × 23 ", "is ", "391.").usage(160, 9));
        try (WsTestClient c = connect()) {
            String run = chat(c, "What is 17 * 23?", true);
            List<JsonNode> events = events(c, run);
            List<String> types = types(events);
            int thinking = types.indexOf(EventTypes.AGENT_THINKING);
            int call = types.indexOf(EventTypes.TOOL_CALL);
            int result = types.indexOf(EventTypes.TOOL_RESULT);
            int delta = types.indexOf(EventTypes.ANSWER_DELTA);
            int answer = types.indexOf(EventTypes.ANSWER_FINAL);
            assertThat(List.of(thinking, call, result, delta, answer)).doesNotContain(-1).isSorted();
            assertThat(first(events, EventTypes.AGENT_THINKING).path("content").asText()).isEqualTo("The user wants a product. I should compute it.");
            assertThat(first(events, EventTypes.TOOL_CALL).path("input").path("expression").asText()).isEqualTo("17 * 23");
            assertThat(first(events, EventTypes.TOOL_CALL).path("call").asText()).isEqualTo("call_a");
            assertThat(first(events, EventTypes.TOOL_RESULT).path("output").path("result").asInt()).isEqualTo(391);
            assertThat(events.stream().filter(e -> e.path("type").asText().equals(EventTypes.ANSWER_DELTA))
                    .map(e -> e.path("data").path("text").asText())).containsExactly("17 × 23 ", "is ", "391.");
            assertThat(first(events, EventTypes.ANSWER_FINAL).path("text").asText()).isEqualTo("17 × 23 is 391.");
            JsonNode end = last(events);
            assertThat(end.path("type").asText()).isEqualTo(EventTypes.RUN_COMPLETED);
            JsonNode summary = end.path("data").path("summary");
            assertThat(summary.path("tokens_in").asLong()).isEqualTo(280);
            assertThat(summary.path("tokens_out").asLong()).isEqualTo(27);
            assertThat(summary.path("tool_calls").asInt()).isEqualTo(1);
            assertThat(summary.has("time_to_first_token_ms")).isTrue();
            assertThat(summary.has("tool_ms")).isTrue();

            // the second request carried the assistant's tool call and the tool's answer back to the model
            RecordedRequest second = model.awaitRequest(1, Duration.ofSeconds(5));
            JsonNode messages = second.json().path("messages");
            JsonNode toolMessage = messages.get(messages.size() - 1);
            assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
            assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_a");
            assertThat(toolMessage.path("content").asText()).contains("391");
            assertThat(messages.get(messages.size() - 2).path("tool_calls").get(0).path("function").path("arguments").asText())
                    .isEqualTo("{\"expression\": \"17 * 23\"}");
            assertThat(model.awaitRequest(0, Duration.ofSeconds(1)).json().path("tools")).isNotEmpty();
        }
    }

    @Test
    void severalToolCallsInOneTurn_allRun_inIndexOrder_andReasoningFieldAlsoWorks() {
        model.enqueue(Reply.stream().reasoningField("reasoning").reasoning("Two things to do.")
                        .toolCall(0, "call_1", "calculator", "{\"expression\":", "\"2+2\"}")
                        .toolCall(1, "call_2", "lookup", "{\"query\":", "\"step\"}"),
                Reply.text("4, and a step is a unit of work.", 3));
        try (WsTestClient c = connect()) {
            List<JsonNode> events = events(c, chat(c, "What is 2+2 and what is a step?", true));
            assertThat(events.stream().filter(e -> e.path("type").asText().equals(EventTypes.TOOL_RESULT))
                    .map(e -> e.path("data").path("call").asText())).containsExactly("call_1", "call_2");
            assertThat(first(events, EventTypes.AGENT_THINKING).path("content").asText()).isEqualTo("Two things to do.");
            assertThat(last(events).path("type").asText()).isEqualTo(EventTypes.RUN_COMPLETED);
        }
    }

    @Test
    void invalidToolArguments_areFlagged_theToolNeverRuns_andTheModelIsTold() {
        model.enqueue(Reply.stream().toolCall(0, "call_bad", "lookup", "{\"q\": 3}"),
                Reply.text("Sorry, let me answer directly: a step is a unit of work.", 4));
        try (WsTestClient c = connect()) {
            List<JsonNode> events = events(c, chat(c, "define step", true));
            JsonNode call = first(events, EventTypes.TOOL_CALL);
            assertThat(call.path("invalid").asBoolean()).isTrue();
            assertThat(call.path("errors").toString()).contains("query");
            assertThat(first(events, EventTypes.TOOL_RESULT).path("error").asText()).isNotBlank();
            assertThat(lookups).hasValue(0);
            JsonNode told = model.awaitRequest(1, Duration.ofSeconds(5)).json().path("messages");
            assertThat(told.get(told.size() - 1).path("content").asText()).contains("error");
            assertThat(last(events).path("type").asText()).isEqualTo(EventTypes.RUN_COMPLETED);
        }
    }

    @Test
    void aCachedTool_missesThenHits_andTheSummaryCountsBoth() {
        for (int i = 0; i < 2; i++) {
            model.enqueue(Reply.stream().toolCall(0, "call_" + i, "lookup", i == 0 ? "{\"query\":\"step\"}" : "{\"query\": \"  step \"}"),
                    Reply.text("A step is a unit of work.", 2));
        }
        try (WsTestClient c = connect()) {
            List<JsonNode> one = events(c, chat(c, "define step", true));
            List<JsonNode> two = events(c, chat(c, "define step again", true));
            assertThat(first(one, EventTypes.TOOL_RESULT).path("cache").asText()).isEqualTo("miss");
            assertThat(first(two, EventTypes.TOOL_RESULT).path("cache").asText()).isEqualTo("hit");
            assertThat(lookups).hasValue(1);
            assertThat(last(one).path("data").path("summary").path("tool_cache_misses").asInt()).isEqualTo(1);
            assertThat(last(two).path("data").path("summary").path("tool_cache_hits").asInt()).isEqualTo(1);
        }
    }

    @Test
    void anApprovalGranted_runsTheTool_andOneRefused_doesNot() {
        for (String path : List.of("/tmp/a", "/tmp/b")) {
            model.enqueue(Reply.stream().toolCall(0, "call_del", "delete_file", "{\"path\":\"" + path + "\"}"),
                    Reply.text("Done.", 1));
        }
        try (WsTestClient c = connect()) {
            for (String choice : List.of("approve", "deny")) {
                String run = chat(c, "please delete that file", true);
                JsonNode asked = c.await(f -> f.path("type").asText().equals(EventTypes.DECISION_REQUESTED), 10_000);
                assertThat(asked.path("data").path("context").path("tool").asText()).isEqualTo("delete_file");
                assertThat(asked.path("data").path("context").path("arguments").path("path").asText()).startsWith("/tmp/");
                c.send(io.runcast.event.Json.object().put("op", "decide").put("run", run)
                        .put("decision", asked.path("data").path("decision").asText()).put("choice", choice));
                List<JsonNode> events = events(c, run);
                JsonNode result = first(events, EventTypes.TOOL_RESULT);
                if (choice.equals("approve")) {
                    assertThat(result.path("output").path("deleted").asText()).isEqualTo("/tmp/a");
                } else {
                    assertThat(result.has("output")).isFalse();
                    assertThat(result.path("error").asText()).isNotBlank();
                }
                assertThat(last(events).path("type").asText()).isEqualTo(EventTypes.RUN_COMPLETED);
            }
            assertThat(deletions).hasValue(1);
        }
    }

    @Test
    void cancellingMidStream_closesTheUpstreamConnectionAtOnce() {
        model.enqueue(Reply.stream().delayEach(Duration.ofMillis(150)).content("one ", "two ", "three ", "four ", "five ",
                "six ", "seven ", "eight ", "nine ", "ten ", "eleven ", "twelve ", "thirteen ", "fourteen ", "fifteen "));
        try (WsTestClient c = connect()) {
            String run = chat(c, "count slowly", true);
            c.await(f -> f.path("type").asText().equals(EventTypes.ANSWER_DELTA), 10_000);
            c.send("{\"op\":\"cancel\",\"run\":\"" + run + "\"}");
            List<JsonNode> events = events(c, run);
            assertThat(last(events).path("type").asText()).isEqualTo(EventTypes.RUN_CANCELLED);
            model.awaitClientClose(model.awaitRequest(0, Duration.ofSeconds(1)).connection(), Duration.ofSeconds(5));
        }
    }

    @Test
    void theFullPipeline_asksForAPlanFirst_streamsItAsThinking_andReviewsTheAnswer() {
        model.enqueue(Reply.text("Compare both, then give a recommendation.", 3),
                Reply.text("WebSockets for two-way control; SSE for simple one-way streams.", 5));
        try (WsTestClient c = connect()) {
            List<JsonNode> events = events(c, chat(c, "Compare WebSockets and SSE and plan a rollout", false));
            assertThat(first(events, EventTypes.WORKFLOW_ROUTE).path("pipeline").asText()).isEqualTo("full");
            assertThat(first(events, EventTypes.AGENT_THINKING).path("content").asText()).isEqualTo("Compare both, then give a recommendation.");
            assertThat(first(events, EventTypes.QUALITY_CHECK).path("passed").asBoolean()).isTrue();
            JsonNode analyze = model.awaitRequest(0, Duration.ofSeconds(1)).json();
            assertThat(analyze.has("tools")).isFalse();
            JsonNode respond = model.awaitRequest(1, Duration.ofSeconds(1)).json();
            assertThat(respond.path("messages").get(0).path("content").asText()).contains("Compare both, then give a recommendation.");
        }
    }

    @Test
    void aTooManyRequests_isRetriedAfterRetryAfter_andStreamedAsErrorRecovery() {
        model.enqueue(Reply.error(429, "Rate limit reached").retryAfter("1"), Reply.text("Fine now.", 2));
        try (WsTestClient c = connect()) {
            List<JsonNode> events = events(c, chat(c, "hello", true));
            JsonNode recovery = first(events, EventTypes.ERROR_RECOVERY);
            assertThat(recovery.path("status").asInt()).isEqualTo(429);
            assertThat(recovery.path("strategy").asText()).isEqualTo("retry");
            // Retry-After: 1 asks for a second; the client waits that long, capped at this test's 200 ms maximum
            assertThat(recovery.path("backoff_ms").asLong()).isEqualTo(200);
            assertThat(last(events).path("type").asText()).isEqualTo(EventTypes.RUN_COMPLETED);
            assertThat(last(events).path("data").path("summary").path("retries").asInt()).isEqualTo(1);
        }
    }

    @Test
    void eachUpstreamFailure_endsTheRunWithRunFailed_andItsReason() {
        String[][] expected = {
                {"500", "http 500"}, {"401", "incorrect api key"}, {"stall-first", "no token"}, {"stall-idle", "stalled"},
                {"cut", "chunk"}, {"malformed", "malformed"},
        };
        try (WsTestClient c = connect()) {
            for (String[] k : expected) {
                switch (k[0]) {
                    case "500" -> model.enqueue(Reply.error(500, "The server had an error"), Reply.error(500, "The server had an error"),
                            Reply.error(500, "The server had an error"));
                    case "401" -> model.enqueue(Reply.error(401, "Incorrect API key provided"));
                    case "stall-first" -> model.enqueue(Reply.stream().stall());
                    case "stall-idle" -> model.enqueue(Reply.stream().content("Half ").stall());
                    case "cut" -> model.enqueue(Reply.stream().content("Half ").cut());
                    default -> model.enqueue(Reply.stream().content("Half ").raw("data: {not json\n\n"));
                }
                List<JsonNode> events = events(c, chat(c, "hello " + k[0], true));
                JsonNode end = last(events);
                assertThat(end.path("type").asText()).as(k[0]).isEqualTo(EventTypes.RUN_FAILED);
                assertThat(end.path("data").path("reason").asText().toLowerCase()).as(k[0]).contains(k[1]);
            }
        }
    }
}
