package io.runcast.chats;

import static io.runcast.testing.TestServer.get;
import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat runs over the real WebSocket and HTTP API: start, stream, conversations across turns and restarts. */
class ChatRunsTest {

    /** A server with the chat runner installed; closes all three. */
    record Chatting(RuncastServer server, PlanExecutor executor, ChatRunner runner, EchoAgent echo) implements AutoCloseable {
        static Chatting start(RuncastServer server) {
            PlanExecutor ex = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
            EchoAgent echo = new EchoAgent("echo");
            ChatRunner runner = new ChatRunner(server.engine(), ex, List.of(echo, new EchoAgent("other")), ChatConfig.DEFAULT);
            server.chats().install(runner);
            return new Chatting(server, ex, runner, echo);
        }

        int port() {
            return server.port();
        }

        @Override
        public void close() {
            runner.close();
            executor.close();
            server.close();
        }
    }

    static WsTestClient connect(int port) {
        WsTestClient c = WsTestClient.connect(port);
        c.awaitOp("connected");
        return c;
    }

    /** Frames of one run up to its {@code end}, after the {@code started} answer. */
    static List<JsonNode> untilEnd(WsTestClient c, String run) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode f = c.next(10_000);
            if (!run.equals(f.path("run").asText())) continue;
            out.add(f);
            if (f.path("op").asText().equals("end")) return out;
        }
    }

    static List<String> types(List<JsonNode> frames) {
        return frames.stream().filter(f -> f.path("op").asText().equals("event")).map(f -> f.path("type").asText()).toList();
    }

    @Test
    void chatOp_answersWithTheRun_thenStreamsItFromRunStartedToTheEnd() {
        try (Chatting s = Chatting.start(TestServer.start()); WsTestClient c = connect(s.port())) {
            c.send("{\"op\":\"chat\",\"id\":7,\"message\":\"Please compare the plans and research both in depth\"}");
            JsonNode started = c.awaitOp("started");
            assertThat(started.path("id").asInt()).isEqualTo(7);
            String run = started.path("run").asText();
            String conversation = started.path("conversation").asText();
            assertThat(run).isEqualTo(conversation + ".1");
            assertThat(started.path("turn").asInt()).isEqualTo(1);
            assertThat(started.path("agent").asText()).isEqualTo("echo");

            List<JsonNode> frames = untilEnd(c, run);
            assertThat(frames.get(0).path("op").asText()).isEqualTo("subscribed");
            List<String> types = types(frames);
            assertThat(types).startsWith(EventTypes.RUN_STARTED, EventTypes.WORKFLOW_ROUTE).endsWith(EventTypes.RUN_COMPLETED)
                    .contains(EventTypes.AGENT_THINKING, EventTypes.ANSWER_DELTA, EventTypes.ANSWER_FINAL, EventTypes.QUALITY_CHECK);
            JsonNode runStarted = frames.get(1).path("data");
            assertThat(runStarted.path("kind").asText()).isEqualTo("chat");
            assertThat(runStarted.path("message").asText()).startsWith("Please compare");
            assertThat(runStarted.path("conversation").asText()).isEqualTo(conversation);
            JsonNode route = frames.get(2).path("data");
            assertThat(route.path("pipeline").asText()).isEqualTo("full");
            assertThat(route.path("reason").asText()).contains("compare", "research");
            assertThat(types.stream().filter(t -> t.startsWith("run.") && !t.equals(EventTypes.RUN_STARTED))).hasSize(1);
        }
    }

    @Test
    void simpleAsk_takesTheLightPipeline_oneStep() {
        try (Chatting s = Chatting.start(TestServer.start()); WsTestClient c = connect(s.port())) {
            c.send("{\"op\":\"chat\",\"message\":\"What is 2+2?\",\"agent\":\"other\"}");
            JsonNode started = c.awaitOp("started");
            assertThat(started.path("agent").asText()).isEqualTo("other");
            List<JsonNode> frames = untilEnd(c, started.path("run").asText());
            List<String> steps = frames.stream().filter(f -> f.path("type").asText().equals(EventTypes.STEP_STARTED))
                    .map(f -> f.path("step").asText()).toList();
            assertThat(steps).containsExactly("respond");
            assertThat(types(frames)).doesNotContain(EventTypes.QUALITY_CHECK);
            assertThat(frames.get(2).path("data").path("pipeline").asText()).isEqualTo("light");
        }
    }

    @Test
    void aConversationCarriesItsTurns_andAnotherWatcherSeesTheSameStream() {
        try (Chatting s = Chatting.start(TestServer.start()); WsTestClient c = connect(s.port())) {
            c.send("{\"op\":\"chat\",\"conversation\":\"conv-1\",\"message\":\"first\"}");
            String run1 = c.awaitOp("started").path("run").asText();
            untilEnd(c, run1);
            try (WsTestClient watcher = connect(s.port())) {
                c.send("{\"op\":\"chat\",\"conversation\":\"conv-1\",\"message\":\"second\"}");
                JsonNode started = c.awaitOp("started");
                assertThat(started.path("run").asText()).isEqualTo("conv-1.2");
                watcher.send("{\"op\":\"subscribe\",\"run\":\"conv-1.2\"}");
                List<JsonNode> mine = untilEnd(c, "conv-1.2");
                List<JsonNode> theirs = untilEnd(watcher, "conv-1.2");
                assertThat(types(theirs)).isEqualTo(types(mine));
                String answer = mine.stream().filter(f -> f.path("type").asText().equals(EventTypes.ANSWER_FINAL))
                        .findFirst().orElseThrow().path("data").path("text").asText();
                assertThat(answer).contains("#2", "user:first|assistant:echo first #1");
            }
        }
    }

    @Test
    void aConversationSurvivesARestart_itsTurnsComeFromTheStoredRuns(@TempDir Path dir) throws Exception {
        try (Chatting s = Chatting.start(TestServer.start(b -> b.store("sqlite").dataDir(dir)))) {
            for (String m : List.of("one", "two")) {
                JsonNode started = Json.parse(post(s.port(), "/api/chats", "{\"conversation\":\"kept\",\"message\":\"" + m + "\"}").body());
                s.executor().active().forEach(r -> r.done().join());
                assertThat(started.path("run").asText()).startsWith("kept.");
            }
        }
        try (Chatting s = Chatting.start(TestServer.start(b -> b.store("sqlite").dataDir(dir)))) {
            HttpResponse<String> r = post(s.port(), "/api/chats", "{\"conversation\":\"kept\",\"message\":\"three\"}");
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(Json.parse(r.body()).path("turn").asInt()).isEqualTo(3);
            s.executor().active().forEach(ex -> ex.done().join());
            List<Event> events = s.server().engine().read("kept.3", 0, 1000).events();
            String answer = events.stream().filter(e -> e.type().equals(EventTypes.ANSWER_FINAL)).findFirst().orElseThrow()
                    .dataNode().path("text").asText();
            assertThat(answer).contains("user:one|assistant:echo one #1", "user:two|assistant:echo two #2");
        }
    }

    @Test
    void aSecondMessageWhileTheFirstIsAnswered_isRefusedAsBusy_thenAccepted() throws Exception {
        try (Chatting s = Chatting.start(TestServer.start()); WsTestClient c = connect(s.port())) {
            CountDownLatch hold = new CountDownLatch(1);
            s.echo().hold = hold;
            c.send("{\"op\":\"chat\",\"id\":1,\"conversation\":\"busy\",\"message\":\"please plan a trip and then research hotels\"}");
            assertThat(c.awaitOp("started").path("run").asText()).isEqualTo("busy.1");
            c.send("{\"op\":\"chat\",\"id\":2,\"conversation\":\"busy\",\"message\":\"and?\"}");
            JsonNode err = c.awaitOp("error");
            assertThat(err.path("id").asInt()).isEqualTo(2);
            assertThat(err.path("code").asText()).isEqualTo("conversation_busy");
            s.echo().hold = null;
            hold.countDown();
            untilEnd(c, "busy.1");
            s.executor().active().forEach(r -> r.done().join());
            c.send("{\"op\":\"chat\",\"id\":3,\"conversation\":\"busy\",\"message\":\"and?\"}");
            assertThat(c.awaitOp("started").path("run").asText()).isEqualTo("busy.2");
        }
    }

    @Test
    void badRequests_getStructuredErrors_andStartNothing() {
        try (Chatting s = Chatting.start(TestServer.start()); WsTestClient c = connect(s.port())) {
            String[][] cases = {
                    {"{\"op\":\"chat\",\"id\":1}", "bad_request"},
                    {"{\"op\":\"chat\",\"id\":2,\"message\":\"   \"}", "bad_request"},
                    {"{\"op\":\"chat\",\"id\":3,\"message\":\"hi\",\"agent\":\"nobody\"}", "not_found"},
                    {"{\"op\":\"chat\",\"id\":4,\"message\":\"hi\",\"conversation\":\"has.dot\"}", "bad_request"},
                    {"{\"op\":\"chat\",\"id\":5,\"message\":\"hi\",\"conversation_id\":\"x\"}", "bad_request"},
                    {"{\"op\":\"chat\",\"id\":6,\"message\":\"hi\",\"options\":{\"light\":\"maybe\"}}", "bad_request"},
                    {"{\"op\":\"chat\",\"id\":7,\"message\":\"" + "x".repeat(70_000) + "\"}", "too_large"},
            };
            for (String[] k : cases) {
                c.send(k[0]);
                JsonNode e = c.awaitOp("error");
                assertThat(e.path("code").asText()).as(k[0].substring(0, Math.min(60, k[0].length()))).isEqualTo(k[1]);
            }
            assertThat(s.server().engine().list(100, false)).isEmpty();
            HttpResponse<String> r = post(s.port(), "/api/chats", "{\"message\":3}");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(Json.parse(r.body()).path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(s.server().engine().list(100, false)).isEmpty();
        }
    }

    @Test
    void withoutAgents_aChatIsUnavailable_andAgentsListsWhatIsInstalled() {
        try (RuncastServer bare = TestServer.start(); WsTestClient c = connect(bare.port())) {
            c.send("{\"op\":\"chat\",\"message\":\"hello\"}");
            assertThat(c.awaitOp("error").path("code").asText()).isEqualTo("unavailable");
            assertThat(Json.parse(get(bare.port(), "/api/agents").body()).path("agents")).isEmpty();
        }
        try (Chatting s = Chatting.start(TestServer.start())) {
            JsonNode agents = Json.parse(get(s.port(), "/api/agents").body()).path("agents");
            assertThat(agents).hasSize(2);
            assertThat(agents.get(0).path("name").asText()).isEqualTo("echo");
            assertThat(agents.get(0).path("default").asBoolean()).isTrue();
            assertThat(agents.get(1).path("default").asBoolean()).isFalse();
        }
    }
}
