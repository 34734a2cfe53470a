package io.runcast.seeds.manager;

import static io.runcast.seeds.manager.ManagerClient.change;
import static io.runcast.testing.TestServer.get;
import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.chats.ChatConfig;
import io.runcast.chats.ChatRunner;
import io.runcast.chats.ScriptedAgent;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.builtin.Builtins;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 003 through a real server and real sockets, written from the document's examples. */
class ManagerFormatTest {
    static RuncastServer server;
    static PlanExecutor executor;
    static ToolDispatcher tools;
    static ChatRunner runner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        tools = new ToolDispatcher(Builtins.registry());
        runner = new ChatRunner(server.engine(), executor, List.of(new ScriptedAgent(tools, 0, Duration.ofSeconds(30))), ChatConfig.DEFAULT);
        server.chats().install(runner);
        server.endpoints().add(new ManagerFormat(server.services()));
    }

    @AfterAll
    static void stop() {
        runner.close();
        executor.close();
        tools.close();
        server.close();
    }

    static ManagerClient connect() {
        ManagerClient c = ManagerClient.connect(server.port());
        assertThat(c.next().path("type").asText()).isEqualTo("connection_established");
        return c;
    }

    static String createSession(String name) {
        HttpResponse<String> r = post(server.port(), "/api/chat/sessions", Json.write(Json.object().put("name", name)));
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.parse(r.body()).path("id").asText();
    }

    static JsonNode postMessage(String session, String content) {
        HttpResponse<String> r = post(server.port(), "/api/chat/sessions/" + session + "/messages",
                Json.write(Json.object().put("content", content)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body());
    }

    static void watch(ManagerClient c, String session) {
        c.send(Json.object().put("type", "subscribe_to_session").put("session_id", session));
        assertThat(c.await("session_subscribed").path("data").path("sessions").toString()).contains(session);
    }

    static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    static JsonNode first(List<JsonNode> frames, String type) {
        return frames.stream().filter(f -> f.path("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + types(frames)));
    }

    @Test
    void onConnect_theConnectionIsEstablished_withTheSixStreamingFeatures() {
        try (ManagerClient c = ManagerClient.connect(server.port())) {
            JsonNode hello = c.next();
            assertThat(hello.path("type").asText()).isEqualTo("connection_established");
            assertThat(hello.path("connection_id").asText()).isNotEmpty();
            assertThat(Instant.parse(hello.path("timestamp").asText())).isNotNull();
            assertThat(hello.path("streaming_features")).extracting(JsonNode::asText).containsExactly("manager_thinking",
                    "agent_substeps", "user_decisions", "workflow_visualization", "brain_allocation", "error_recovery");
            c.send(Json.object().put("type", "ping"));
            JsonNode pong = c.next();
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(Instant.parse(pong.path("timestamp").asText())).isNotNull();
        }
    }

    @Test
    void aSession_isCreatedOverRest_andReadBack() {
        HttpResponse<String> r = post(server.port(), "/api/chat/sessions", "{\"name\":\"Estimate for Main St\",\"project_id\":\"p-7\"}");
        JsonNode s = Json.parse(r.body());
        assertThat(s.path("id").asText()).startsWith("session_");
        assertThat(s.path("name").asText()).isEqualTo("Estimate for Main St");
        assertThat(s.path("project_id").asText()).isEqualTo("p-7");
        assertThat(s.path("status").asText()).isEqualTo("active");
        assertThat(Instant.parse(s.path("created_at").asText())).isEqualTo(Instant.parse(s.path("updated_at").asText()));

        JsonNode again = Json.parse(get(server.port(), "/api/chat/sessions/" + s.path("id").asText()).body());
        assertThat(again.path("name").asText()).isEqualTo("Estimate for Main St");
        assertThat(Json.parse(get(server.port(), "/api/chat/sessions?project_id=p-7").body()))
                .extracting(n -> n.path("id").asText()).contains(s.path("id").asText());

        HttpResponse<String> missing = get(server.port(), "/api/chat/sessions/session_nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.parse(missing.body()).path("detail").asText()).isEqualTo("Chat session not found");
        HttpResponse<String> nameless = post(server.port(), "/api/chat/sessions", "{\"project_id\":\"p-7\"}");
        assertThat(nameless.statusCode()).isEqualTo(400);
        assertThat(Json.parse(nameless.body()).path("code").asText()).isEqualTo("bad_request");
        assertThat(post(server.port(), "/api/chat/sessions/session_nope/messages", "{\"content\":\"hi\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void aMessage_streamsItsWorkflow_toTheWatchersOfItsSession_only() {
        String mine = createSession("mine");
        String other = createSession("other");
        try (ManagerClient a = connect(); ManagerClient b = connect()) {
            watch(a, mine);
            watch(b, other);
            JsonNode posted = postMessage(mine, "What is 17 * 23 + 4?");
            assertThat(posted.path("role").asText()).isEqualTo("user");
            assertThat(posted.path("session_id").asText()).isEqualTo(mine);

            List<JsonNode> frames = a.until(change("workflow_completed"));
            assertThat(frames).allSatisfy(f -> {
                assertThat(f.path("session_id").asText()).isEqualTo(mine);
                assertThat(Instant.parse(f.path("timestamp").asText())).isNotNull();
                assertThat(f.path("data").isObject()).isTrue();
            });
            assertThat(types(frames)).containsSubsequence("chat_message", "workflow_state_change", "manager_thinking",
                    "agent_substep", "chat_message", "workflow_state_change");
            JsonNode echo = first(frames, "chat_message").path("data");
            assertThat(echo.path("role").asText()).isEqualTo("user");
            assertThat(echo.path("content").asText()).isEqualTo("What is 17 * 23 + 4?");
            assertThat(echo.path("id").asText()).isEqualTo(posted.path("id").asText());
            assertThat(first(frames, "workflow_state_change").path("data").path("change_type").asText()).isEqualTo("workflow_started");
            JsonNode thinking = first(frames, "manager_thinking").path("data");
            assertThat(thinking.path("thinking_type").asText()).isEqualTo("route_planning");
            assertThat(thinking.path("factors").isArray()).isTrue();
            assertThat(thinking.path("confidence").isNumber()).isTrue();
            assertThat(frames).filteredOn(f -> f.path("type").asText().equals("agent_substep"))
                    .extracting(f -> f.path("data").path("progress_percentage").asInt()).contains(0, 100);
            JsonNode answer = frames.stream().filter(f -> f.path("type").asText().equals("chat_message")
                    && f.path("data").path("role").asText().equals("assistant")).findFirst().orElseThrow().path("data");
            assertThat(answer.path("content").asText()).isEqualTo("17 * 23 + 4 = 395.");

            // b watches the other session: its own message reaches it, and nothing of the first one ever did
            postMessage(other, "What is 2 ^ 10?");
            List<JsonNode> theirs = b.until(change("workflow_completed"));
            assertThat(theirs).isNotEmpty().allSatisfy(f -> assertThat(f.path("session_id").asText()).isEqualTo(other));
            assertThat(a.flush()).as("a got nothing of the other session").isEmpty();

            JsonNode messages = Json.parse(get(server.port(), "/api/chat/sessions/" + mine + "/messages").body());
            assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant");
        }
    }

    @Test
    void aDecision_isAskedOnTheSocket_answeredThere_andTheRunGoesOnWithTheAnswer() {
        String session = createSession("notes");
        try (ManagerClient c = connect()) {
            // the project's client: REST first, then its chat_message frame, which makes it watch the session
            postMessage(session, "Remember that the site visit is on Monday at 9:00.");
            c.send(Json.object().put("type", "chat_message").put("session_id", session)
                    .put("content", "Remember that the site visit is on Monday at 9:00.").put("timestamp", Instant.now().toString()));
            JsonNode asked = c.await("user_decision_needed");
            JsonNode d = asked.path("data");
            assertThat(d.path("decision_id").asText()).isNotEmpty();
            assertThat(d.path("prompt").asText()).isNotEmpty();
            assertThat(d.path("options")).extracting(JsonNode::asText).contains("approve", "deny");
            assertThat(d.path("decision_type").asText()).isEqualTo("tool_approval");
            assertThat(d.has("default_option") && d.has("timeout_seconds") && d.has("can_skip")).isTrue();

            c.send(Json.object().put("type", "request_workflow_status").put("session_id", session));
            JsonNode waiting = c.await("workflow_status").path("data");
            assertThat(waiting.path("status").asText()).isEqualTo("waiting_for_user");
            assertThat(waiting.path("pending_decisions").get(0).path("decision_id").asText()).isEqualTo(d.path("decision_id").asText());

            c.send(Json.object().put("type", "user_decision_response").put("session_id", session)
                    .put("decision_id", d.path("decision_id").asText()).put("response", "approve"));
            List<JsonNode> rest = c.until(change("workflow_completed"));
            JsonNode ack = first(rest, "decision_response_acknowledged");
            assertThat(ack.path("session_id").asText()).isEqualTo(session);
            assertThat(ack.path("data").path("decision_id").asText()).isEqualTo(d.path("decision_id").asText());
            assertThat(first(rest, "user_decision_resolved").path("data").path("response").asText()).isEqualTo("approve");
            assertThat(rest.stream().filter(f -> f.path("type").asText().equals("chat_message"))
                    .map(f -> f.path("data").path("content").asText())).anyMatch(t -> t.startsWith("Saved:"));

            c.send(Json.object().put("type", "request_workflow_status").put("session_id", session));
            JsonNode done = c.await("workflow_status").path("data");
            assertThat(done.path("status").asText()).isEqualTo("completed");
            assertThat(done.path("completion_percentage").asInt()).isEqualTo(100);
            assertThat(done.path("turns").asInt()).as("the chat_message frame started no second run").isEqualTo(1);
            assertThat(done.path("pending_decisions")).isEmpty();
        }
    }

    @Test
    void theClientsOwnChatMessageFrame_isAcceptedQuietly() {
        String session = createSession("quiet");
        try (ManagerClient c = connect()) {
            watch(c, session);
            postMessage(session, "What is 6 * 7?");
            c.send(Json.object().put("type", "chat_message").put("session_id", session).put("content", "What is 6 * 7?"));
            List<JsonNode> frames = c.until(change("workflow_completed"));
            frames.addAll(c.flush());
            assertThat(types(frames)).doesNotContain("error");
            assertThat(frames).filteredOn(change("workflow_started")).hasSize(1);
            assertThat(Json.parse(get(server.port(), "/api/chat/sessions/" + session).body()).path("message_count").asInt()).isEqualTo(1);
        }
    }

    @Test
    void subscribeToAgent_andATypeFilter_narrowWhatAConnectionGets() {
        String session = createSession("filters");
        try (ManagerClient all = connect(); ManagerClient typed = connect(); ManagerClient agent = connect()) {
            watch(all, session);
            typed.send(Json.object().put("type", "subscribe_to_session").put("session_id", session)
                    .set("message_types", Json.MAPPER.createArrayNode().add("chat_message").add("workflow_state_change")));
            assertThat(typed.await("session_subscribed").path("data").path("message_types")).hasSize(2);
            agent.send(Json.object().put("type", "subscribe_to_agent").put("session_id", session).put("agent_name", "someone_else"));
            assertThat(agent.await("agent_subscription_confirmed").path("data").path("agent_names").get(0).asText()).isEqualTo("someone_else");

            postMessage(session, "Compare WebSockets and Server-Sent Events for streaming agent runs, and plan a rollout for our team.");
            List<JsonNode> everything = all.until(change("workflow_completed"));
            assertThat(types(everything)).contains("manager_thinking", "agent_substep", "chat_message", "workflow_state_change");

            List<JsonNode> onlyTwo = typed.until(change("workflow_completed"));
            assertThat(types(onlyTwo)).containsOnly("chat_message", "workflow_state_change");
            assertThat(onlyTwo).hasSize((int) everything.stream()
                    .filter(f -> List.of("chat_message", "workflow_state_change").contains(f.path("type").asText())).count());

            List<JsonNode> noAgents = agent.until(change("workflow_completed"));
            assertThat(types(noAgents)).doesNotContain("agent_substep", "manager_thinking")
                    .contains("chat_message", "workflow_state_change");
        }
    }

    @Test
    void aTurnPublishedElsewhere_reachesTheWatchers_inEachOfTheDocumentsFrames() {
        String session = createSession("published");
        try (ManagerClient c = connect()) {
            watch(c, session);
            server.publishAndWait(session + ".1", List.of(
                    EventDraft.of(EventTypes.RUN_STARTED, Json.object().put("kind", "chat").put("message", "Estimate the job")),
                    EventDraft.of(EventTypes.AGENT_THINKING, null, "manager", Json.object().put("content", "Analyzing user intent")
                            .put("thinking_type", "route_planning").put("confidence", 0.85)
                            .set("factors", Json.MAPPER.createArrayNode().add("file_types").add("complexity"))),
                    EventDraft.of(EventTypes.MODEL_SELECTED, null, "trade_mapper", Json.object().put("model", "o3").put("tier", "high")
                            .put("reasoning", "Complex trade analysis")),
                    EventDraft.of(EventTypes.STEP_PROGRESS, "read", "file_reader", Json.object().put("progress", 50).put("substep", "processing")),
                    EventDraft.of(EventTypes.ERROR_RECOVERY, null, "estimator", Json.object().put("error_message", "API rate limit exceeded")
                            .put("strategy", "retry").put("attempt", 1)),
                    EventDraft.of(EventTypes.WORKFLOW_STAGE, null, "manager", Json.object().put("stage", "Autonomous Task Delegation")
                            .put("completion_percentage", 75.0).set("stages", Json.MAPPER.createArrayNode().add("Universal Intake").add("Autonomous Task Delegation"))),
                    EventDraft.of(EventTypes.RUN_COMPLETED, Json.object())));
            List<JsonNode> f = c.until(change("workflow_completed"));
            JsonNode thinking = first(f, "manager_thinking").path("data");
            assertThat(thinking.path("analysis").asText()).isEqualTo("Analyzing user intent");
            assertThat(thinking.path("confidence").asDouble()).isEqualTo(0.85);
            assertThat(thinking.path("factors")).extracting(JsonNode::asText).containsExactly("file_types", "complexity");
            JsonNode brain = first(f, "brain_allocation").path("data");
            assertThat(brain.path("agent_name").asText()).isEqualTo("trade_mapper");
            assertThat(brain.path("model_selected").asText()).isEqualTo("o3");
            assertThat(brain.path("model_tier").asText()).isEqualTo("high");
            JsonNode sub = first(f, "agent_substep").path("data");
            assertThat(sub.path("agent_name").asText()).isEqualTo("file_reader");
            assertThat(sub.path("progress_percentage").asInt()).isEqualTo(50);
            JsonNode recovery = first(f, "error_recovery").path("data");
            assertThat(recovery.path("error_message").asText()).isEqualTo("API rate limit exceeded");
            assertThat(recovery.path("recovery_strategy").asText()).isEqualTo("retry");
            assertThat(recovery.path("affected_agents").get(0).asText()).isEqualTo("estimator");
            JsonNode phase = f.stream().filter(change("phase_transition")).findFirst().orElseThrow().path("data");
            assertThat(phase.path("current_stage").asText()).isEqualTo("Autonomous Task Delegation");
            assertThat(phase.path("workflow_visualization").path("completion_percentage").asDouble()).isEqualTo(75.0);
            assertThat(phase.path("workflow_visualization").path("stages")).hasSize(2);
            assertThat(f.get(f.size() - 1).path("seq").asLong()).isEqualTo(7);
        }
    }

    @Test
    void badFrames_getAStructuredError_andChangeNothing() {
        String session = createSession("bad input");
        try (ManagerClient c = connect()) {
            c.send(Json.object().put("type", "subscribe_to_session").put("session_id", session)
                    .set("message_types", Json.MAPPER.createArrayNode().add("chat_message")));
            c.await("session_subscribed");

            c.send("{not json");
            assertError(c.next(), null, "bad_json");
            c.send("[1,2]");
            assertError(c.next(), null, "bad_request");
            c.send(Json.object().put("type", "launch_rockets").put("session_id", session));
            assertError(c.next(), session, "unknown_op");
            c.send(Json.object().put("type", "set_message_filter").set("message_types", Json.MAPPER.createArrayNode().add("gossip")));
            assertError(c.next(), null, "bad_request");
            c.send(Json.object().put("type", "subscribe_to_session").put("session_id", "session_missing"));
            assertError(c.next(), "session_missing", "not_found");
            c.send(Json.object().put("type", "subscribe_to_session").put("session_id", "a.b"));
            assertError(c.next(), "a.b", "bad_request");
            c.send(Json.object().put("type", "user_decision_response").put("session_id", session).put("response", "approve"));
            assertError(c.next(), session, "bad_request");
            c.send(Json.object().put("type", "user_decision_response").put("session_id", session).put("decision_id", "d-x").put("response", "approve"));
            assertError(c.next(), session, "decision_not_found");

            // the filter from before the bad frames still holds: only chat messages of the session arrive
            postMessage(session, "What is 3 * 3?");
            List<JsonNode> frames = c.until(f -> f.path("data").path("role").asText().equals("assistant"));
            assertThat(types(frames)).containsOnly("chat_message");
            assertThat(frames).hasSize(2);
        }
    }

    static void assertError(JsonNode f, String session, String code) {
        assertThat(f.path("type").asText()).as(f.toString()).isEqualTo("error");
        if (session != null) assertThat(f.path("session_id").asText()).isEqualTo(session);
        assertThat(f.path("data").path("code").asText()).as(f.toString()).isEqualTo(code);
        assertThat(f.path("data").path("message").asText()).isNotEmpty();
        assertThat(Instant.parse(f.path("timestamp").asText())).isNotNull();
    }

    @Test
    void aSession_survivesARestart_withTheStore(@TempDir Path dir) {
        String id;
        try (RuncastServer first = TestServer.start(b -> b.store("sqlite").dataDir(dir))) {
            first.endpoints().add(new ManagerFormat(first.services()));
            id = Json.parse(post(first.port(), "/api/chat/sessions", "{\"name\":\"kept\"}").body()).path("id").asText();
        }
        try (RuncastServer second = TestServer.start(b -> b.store("sqlite").dataDir(dir))) {
            second.endpoints().add(new ManagerFormat(second.services()));
            JsonNode s = Json.parse(get(second.port(), "/api/chat/sessions/" + id).body());
            assertThat(s.path("name").asText()).isEqualTo("kept");
            try (ManagerClient c = ManagerClient.connect(second.port(), "?session_id=" + id)) {
                c.next();
                c.send(Json.object().put("type", "request_workflow_status").put("session_id", id));
                assertThat(c.await("workflow_status").path("data").path("status").asText()).isEqualTo("idle");
            }
        }
    }
}
