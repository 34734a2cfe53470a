package io.runcast.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.llm.fake.FakeOpenAi;
import io.runcast.llm.fake.RecordedRequest;
import io.runcast.llm.fake.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a healthy stream delivers: deltas in order, the assembled turn, and the request the client sent. */
class LlmClientStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final FakeOpenAi fake = FakeOpenAi.start();
    private final LlmClient client = new LlmClient(LlmConfig.of(fake.baseUrl(), "gpt-test", "sk-test"));

    @AfterEach
    void tearDown() {
        client.close();
        fake.close();
    }

    private Completion run(Reply reply, Recorder recorder) throws Exception {
        fake.enqueue(reply);
        return client.stream(ChatRequest.of(Messages.user("hi")), recorder).result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void contentDeltas_arriveInOrder_andAssembleIntoTheContent() throws Exception {
        Recorder recorder = new Recorder();
        Completion done = run(Reply.stream().content("The ", "quick ", "brown ", "fox"), recorder);

        assertThat(recorder.events()).containsExactly("content:The ", "content:quick ", "content:brown ", "content:fox");
        assertThat(done.content()).isEqualTo("The quick brown fox");
        assertThat(done.reasoning()).isEmpty();
        assertThat(done.toolCalls()).isEmpty();
        assertThat(done.finishReason()).isEqualTo("stop");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.timeToFirstToken()).isNotNull().isPositive();
        assertThat(recorder.threads()).allMatch(name -> name.startsWith("runcast-llm-io-"));
    }

    @Test
    void reasoning_isReadFromReasoningContent() throws Exception {
        Recorder recorder = new Recorder();
        Completion done = run(Reply.stream().reasoning("Let me ", "think.").content("42"), recorder);

        assertThat(recorder.events()).containsExactly("reasoning:Let me ", "reasoning:think.", "content:42");
        assertThat(done.reasoning()).isEqualTo("Let me think.");
        assertThat(done.content()).isEqualTo("42");
    }

    @Test
    void reasoning_isReadFromReasoning_asOllamaAndNewerVllmSendIt() throws Exception {
        Recorder recorder = new Recorder();
        Completion done = run(Reply.stream().reasoningField("reasoning").reasoning("Hmm", ", yes").content("ok"), recorder);

        assertThat(recorder.events()).containsExactly("reasoning:Hmm", "reasoning:, yes", "content:ok");
        assertThat(done.reasoning()).isEqualTo("Hmm, yes");
    }

    @Test
    void twoToolCalls_withArgumentsSplitOverManyChunks_areAssembledByIndex() throws Exception {
        Recorder recorder = new Recorder();
        Completion done = run(Reply.stream()
                .toolCall(0, "call_w", "get_weather", "{\"ci", "ty\": \"Zü", "rich\", \"unit\"", ": \"c\"}")
                .toolCall(1, "call_s", "search", "{\"q\": \"say \\", "\"hi\\", "\" \\u00e9\\n\"}"), recorder);

        assertThat(recorder.events()).containsExactly("tool:0:call_w:get_weather", "tool:1:call_s:search");
        assertThat(done.finishReason()).isEqualTo("tool_calls");
        assertThat(done.toolCalls()).containsExactly(
                new ToolCall(0, "call_w", "get_weather", "{\"city\": \"Zürich\", \"unit\": \"c\"}"),
                new ToolCall(1, "call_s", "search", "{\"q\": \"say \\\"hi\\\" \\u00e9\\n\"}"));
        assertThat(Json.parse(done.toolCalls().get(1).arguments()).path("q").asText()).isEqualTo("say \"hi\" é\n");
        ObjectNode message = done.toMessage();
        assertThat(message.path("content").isNull()).isTrue();
        assertThat(message.path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo(done.toolCalls().get(0).arguments());
    }

    @Test
    void multiByteCharactersAndEscapes_splitAcrossReadsAtTheByteLevel_arriveIntact() throws Exception {
        Recorder recorder = new Recorder();
        // every byte of the body is its own HTTP chunk, flushed alone: ü, 世, 🌍 and \" are all cut in the middle
        Completion done = run(Reply.stream().content("Grüße ", "aus 世界 🌍").toolCall(0, "call_1", "echo", "{\"s\": \"a\\\"ü\"}")
                .fragmentBytes(1), recorder);

        assertThat(recorder.events()).containsExactly("content:Grüße ", "content:aus 世界 🌍", "tool:0:call_1:echo");
        assertThat(done.content()).isEqualTo("Grüße aus 世界 🌍");
        assertThat(done.toolCalls().get(0).arguments()).isEqualTo("{\"s\": \"a\\\"ü\"}");
    }

    @Test
    void usage_isReadFromTheFinalChunkWithNoChoices() throws Exception {
        Completion done = run(Reply.stream().content("hi").usage(12, 3), new Recorder());

        assertThat(done.usage()).isEqualTo(new Usage(12, 3));
        assertThat(done.usage().totalTokens()).isEqualTo(15);
    }

    @Test
    void requestBody_carriesModelMessagesToolsAndStreamingOptions_withTheKeyAsBearer() throws Exception {
        fake.enqueue(Reply.text("done", 1));
        ArrayNode tools = Json.MAPPER.createArrayNode().add(Messages.functionTool("get_weather", "Weather of a city",
                Json.object().put("type", "object")));
        ToolCall earlier = new ToolCall(0, "call_9", "get_weather", "{\"city\":\"Oslo\"}");
        List<ObjectNode> messages = List.of(Messages.system("Be brief."), Messages.user("Weather in Oslo?"),
                Messages.assistant(null, List.of(earlier)), Messages.tool("call_9", "-3°C"));
        try (LlmClient tuned = new LlmClient(LlmConfig.of(fake.baseUrl(), "gpt-test", "sk-test")
                .withExtraFields(Json.object().put("temperature", 0.2)))) {
            tuned.stream(ChatRequest.of(messages).withTools(tools, Json.MAPPER.getNodeFactory().textNode("auto")), LlmListener.NONE)
                    .result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        RecordedRequest sent = fake.awaitRequest(0, WAIT);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-test");
        assertThat(sent.header("content-type")).isEqualTo("application/json");
        assertThat(sent.header("accept")).isEqualTo("text/event-stream");
        JsonNode body = sent.json();
        assertThat(body.path("model").asText()).isEqualTo("gpt-test");
        assertThat(body.path("messages")).isEqualTo(Json.MAPPER.valueToTree(messages));
        assertThat(body.path("messages").get(2).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_9");
        assertThat(body.path("messages").get(3).path("tool_call_id").asText()).isEqualTo("call_9");
        assertThat(body.path("tools")).isEqualTo(tools);
        assertThat(body.path("tool_choice").asText()).isEqualTo("auto");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options")).isEqualTo(Json.object().put("include_usage", true));
    }

    @Test
    void requestWithoutKey_sendsNoAuthorizationHeader() throws Exception {
        fake.enqueue(Reply.text("hi", 1));
        try (LlmClient local = new LlmClient(LlmConfig.of(fake.baseUrl(), "llama3", null))) {
            local.stream(ChatRequest.of(Messages.user("hi")), LlmListener.NONE).result().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        RecordedRequest sent = fake.awaitRequest(0, WAIT);
        assertThat(sent.headers()).doesNotContainKey("authorization");
        assertThat(sent.json().has("tools")).isFalse();
        assertThat(sent.json().has("tool_choice")).isFalse();
    }

    @Test
    void aFinishedStream_leavesItsConnectionForTheNextCall() throws Exception {
        run(Reply.text("one", 1), new Recorder());
        run(Reply.text("two", 1), new Recorder());

        assertThat(fake.requests()).extracting(RecordedRequest::connection).containsExactly(0, 0);
    }

    @Test
    void closingTheClient_endsItsThreads() throws Exception {
        run(Reply.text("one", 1), new Recorder());

        client.close();

        Awaitility.await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("runcast-llm-")));
    }

    @Test
    void keepAliveComments_andAnExplicitFinish_areHandledLikeTheRealApi() throws Exception {
        Recorder recorder = new Recorder();
        Completion done = run(Reply.stream().raw(": OPENROUTER PROCESSING\n\n").content("cut").finish("length"), recorder);

        assertThat(recorder.events()).containsExactly("content:cut");
        assertThat(done.finishReason()).isEqualTo("length");
    }
}
