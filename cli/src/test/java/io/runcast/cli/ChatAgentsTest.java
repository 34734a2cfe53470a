package io.runcast.cli;

import static io.runcast.testing.TestServer.get;
import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.llm.LlmConfig;
import io.runcast.llm.fake.FakeOpenAi;
import io.runcast.llm.fake.Reply;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's agents: the model from flags or the conventional variables, and who answers by default. */
class ChatAgentsTest {
    private static AgentOptions parse(Map<String, String> env, String... args) {
        ServeCommand cmd = new ServeCommand();
        CommandLine cli = new CommandLine(cmd);
        cli.setDefaultValueProvider(new ConfigDefaults(env, null));
        cli.parseArgs(args);
        return cmd.agents;
    }

    @Test
    void withoutAModel_theScriptedAgentAnswers() throws Exception {
        AgentOptions o = parse(Map.of());
        assertThat(o.hasModel()).isFalse();
        try (RuncastServer server = TestServer.start(); ChatAgents agents = ChatAgents.install(server, o, 0)) {
            assertThat(agents.defaultAgent()).isEqualTo("scripted");
            JsonNode list = Json.parse(get(server.port(), "/api/agents").body()).path("agents");
            assertThat(list).hasSize(1);
            JsonNode started = Json.parse(post(server.port(), "/api/chats", "{\"message\":\"What is 6*7?\"}").body());
            assertThat(answer(server, started.path("run").asText())).isEqualTo("6*7 = 42.");
        }
    }

    @Test
    void theConventionalVariables_configureTheModel_whichThenAnswersByDefault() throws Exception {
        try (FakeOpenAi model = FakeOpenAi.start()) {
            model.enqueue(Reply.text("Forty-two.", 2));
            AgentOptions o = parse(Map.of("OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", "sk-from-env",
                    "OPENAI_MODEL", "gpt-test"));
            assertThat(o.hasModel()).isTrue();
            LlmConfig c = o.llmConfig();
            assertThat(c.baseUrl()).isEqualTo(model.baseUrl());
            assertThat(c.apiKey()).isEqualTo("sk-from-env");
            try (RuncastServer server = TestServer.start(); ChatAgents agents = ChatAgents.install(server, o, 0)) {
                assertThat(agents.defaultAgent()).isEqualTo("model");
                assertThat(Json.parse(get(server.port(), "/api/agents").body()).path("agents").get(1).path("name").asText())
                        .isEqualTo("scripted");
                JsonNode started = Json.parse(post(server.port(), "/api/chats",
                        "{\"message\":\"What is six times seven?\",\"options\":{\"light\":true}}").body());
                assertThat(started.path("agent").asText()).isEqualTo("model");
                assertThat(answer(server, started.path("run").asText())).isEqualTo("Forty-two.");
                var request = model.awaitRequest(0, Duration.ofSeconds(5));
                assertThat(request.header("Authorization")).isEqualTo("Bearer sk-from-env");
                assertThat(request.json().path("model").asText()).isEqualTo("gpt-test");
            }
        }
    }

    @Test
    void runcastsOwnSettings_winOverTheConventionalVariables_andFlagsOverBoth() {
        Map<String, String> env = Map.of("OPENAI_BASE_URL", "http://openai.invalid/v1", "RUNCAST_MODEL_URL", "http://runcast.invalid/v1",
                "OPENAI_MODEL", "a", "RUNCAST_MODEL", "b");
        assertThat(parse(env).llmConfig().baseUrl()).isEqualTo("http://runcast.invalid/v1");
        assertThat(parse(env).llmConfig().model()).isEqualTo("b");
        assertThat(parse(env, "--model", "c", "--model-url", "http://flag.invalid/v1").llmConfig())
                .extracting(LlmConfig::model, LlmConfig::baseUrl).containsExactly("c", "http://flag.invalid/v1");
    }

    @Test
    void badSettings_areRefusedWithTheOptionNamed() {
        assertThatThrownBy(() -> parse(Map.of(), "--light-mode", "sometimes").chatConfig()).hasMessageContaining("--light-mode");
        assertThatThrownBy(() -> parse(Map.of(), "--model", "m", "--model-url", "ftp://x").llmConfig()).hasMessageContaining("model settings");
        assertThatThrownBy(() -> parse(Map.of(), "--model", "m", "--model-idle-timeout", "soon").llmConfig())
                .hasMessageContaining("--model-idle-timeout");
        assertThat(Launch.check(parse(Map.of(), "--light-threshold", "2"))).isFalse();
        assertThat(Launch.check(parse(Map.of()))).isTrue();
    }

    private static String answer(RuncastServer server, String run) {
        await().atMost(Duration.ofSeconds(15)).until(() -> server.engine().info(run).map(i -> i.closed()).orElse(false));
        List<Event> events = server.engine().read(run, 0, 1000).events();
        Event end = events.get(events.size() - 1);
        assertThat(end.type()).as(end.data()).isEqualTo(EventTypes.RUN_COMPLETED);
        return events.stream().filter(e -> e.type().equals(EventTypes.ANSWER_FINAL)).findFirst().orElseThrow()
                .dataNode().path("text").asText();
    }
}
