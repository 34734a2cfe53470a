package io.runcast.agui;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.agui.SseReader.Message;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/runs/{run}/agui} against a real server, read over a real socket. */
class AgUiStreamTest {
    static RuncastServer server;
    static int port;

    static final Set<String> TERMINALS = Set.of("RUN_FINISHED", "RUN_ERROR");

    @BeforeAll
    static void start() {
        server = TestServer.start();
        AgUi.install(server);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void publish(String run, String eventsJson) {
        assertThat(post(port, "/api/runs/" + run + "/events", eventsJson).statusCode()).isEqualTo(200);
    }

    private static List<String> types(List<Message> ms) {
        return ms.stream().map(Message::type).toList();
    }

    private static List<Message> all(String run) throws Exception {
        try (SseReader r = SseReader.open(port, "/api/runs/" + run + "/agui", null)) {
            assertThat(r.response.statusCode()).isEqualTo(200);
            assertThat(r.response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            return r.readToEnd();
        }
    }

    private static final String PLAN = """
            [{"type":"run.started","data":{"query":"q","total_steps":2,"steps":[{"id":"a","agent":"x","after":[]},{"id":"b","agent":"y","after":["a"]}]}},
             {"type":"step.started","step":"a","agent":"x"},
             {"type":"step.progress","step":"a","agent":"x","data":{"progress":50,"message":"half"}},
             {"type":"workflow.stage","data":{"stage":"research","stages":["research","write"],"completion_percentage":40}},
             {"type":"step.completed","step":"a","agent":"x","data":{"result":"ok"}},
             {"type":"step.started","step":"b","agent":"y"},
             {"type":"metrics.update","data":{"tokens_in":3}},
             {"type":"step.completed","step":"b","agent":"y","data":{"result":"done"}},
             {"type":"run.completed","data":{"summary":{"events":9}}}]""";

    @Test
    void planRun_oneRunStarted_stepsAndStateSnapshotThenDeltas_oneTerminal() throws Exception {
        publish("ag-plan", PLAN);
        List<Message> ms = all("ag-plan");
        assertThat(types(ms)).containsExactly(
                "RUN_STARTED", "STATE_SNAPSHOT",
                "STEP_STARTED", "STATE_DELTA",
                "STATE_DELTA",
                "STATE_DELTA",
                "STEP_FINISHED", "STATE_DELTA",
                "STEP_STARTED", "STATE_DELTA",
                "CUSTOM",
                "STEP_FINISHED", "STATE_DELTA",
                "RUN_FINISHED");
        assertThat(ms.get(0).data().path("runId").asText()).isEqualTo("ag-plan");
        assertThat(ms.get(0).data().path("threadId").asText()).isEqualTo("ag-plan");
        assertThat(ms.get(2).data().path("stepName").asText()).isEqualTo("a");
        assertThat(ms.get(10).data().path("name").asText()).isEqualTo("metrics.update");
        assertThat(ms.get(10).data().path("value").path("data").path("tokens_in").asInt()).isEqualTo(3);
        JsonNode finished = ms.get(ms.size() - 1).data();
        assertThat(finished.path("outcome").path("type").asText()).isEqualTo("success");
        assertThat(finished.path("result").path("events").asInt()).isEqualTo(9);

        // the snapshot holds the plan; applying every delta gives the run's final state
        JsonNode snapshot = ms.get(1).data().path("snapshot");
        assertThat(snapshot.path("steps").path("a").path("status").asText()).isEqualTo("pending");
        assertThat(snapshot.path("steps").path("b").path("after").get(0).asText()).isEqualTo("a");
        ObjectNode state = snapshot.deepCopy();
        for (Message m : ms) if (m.type().equals("STATE_DELTA")) JsonPatch.apply(state, m.data().path("delta"));
        assertThat(state.path("steps").path("a").path("status").asText()).isEqualTo("completed");
        assertThat(state.path("steps").path("a").path("progress").asInt()).isEqualTo(50);
        assertThat(state.path("steps").path("a").path("message").asText()).isEqualTo("half");
        assertThat(state.path("steps").path("b").path("status").asText()).isEqualTo("completed");
        assertThat(state.path("stage").asText()).isEqualTo("research");
        assertThat(state.path("completion").asInt()).isEqualTo(40);
        // every message made from one Runcast event shares its seq; only the group's last carries it
        assertThat(ms.get(0).id()).isNull();
        assertThat(ms.get(1).id()).isEqualTo("1");
        assertThat(ms.get(ms.size() - 1).id()).isEqualTo("9");
    }

    @Test
    void chatRun_mapsReasoningToolsAndAnswerText() throws Exception {
        publish("ag-chat", """
                [{"type":"run.started","data":{"conversation":"conv-1","query":"hi"}},
                 {"type":"agent.thinking","agent":"assistant","data":{"content":"let me look"}},
                 {"type":"tool.call","data":{"tool":"search","input":{"q":"x"},"call":"c1"}},
                 {"type":"tool.result","data":{"tool":"search","output":"found","call":"c1","duration_ms":3}},
                 {"type":"answer.delta","data":{"text":"Hel"}},
                 {"type":"answer.delta","data":{"text":"lo"}},
                 {"type":"answer.final","data":{"text":"Hello"}},
                 {"type":"run.completed"}]""");
        List<Message> ms = all("ag-chat");
        assertThat(types(ms)).containsExactly(
                "RUN_STARTED", "STATE_SNAPSHOT",
                "REASONING_START", "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END", "REASONING_END",
                "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END",
                "TOOL_CALL_RESULT",
                "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END",
                "RUN_FINISHED");
        assertThat(ms.get(0).data().path("threadId").asText()).isEqualTo("conv-1");
        assertThat(ms.get(3).data().path("role").asText()).isEqualTo("reasoning");
        assertThat(ms.get(4).data().path("delta").asText()).isEqualTo("let me look");
        assertThat(ms.get(7).data().path("toolCallName").asText()).isEqualTo("search");
        assertThat(ms.get(7).data().path("toolCallId").asText()).isEqualTo("c1");
        assertThat(Json.parse(ms.get(8).data().path("delta").asText()).path("q").asText()).isEqualTo("x");
        assertThat(ms.get(10).data().path("toolCallId").asText()).isEqualTo("c1");
        assertThat(ms.get(10).data().path("content").asText()).isEqualTo("found");
        String messageId = ms.get(11).data().path("messageId").asText();
        assertThat(ms.get(11).data().path("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (Message m : ms) {
            if (m.type().startsWith("TEXT_MESSAGE")) assertThat(m.data().path("messageId").asText()).isEqualTo(messageId);
            if (m.type().equals("TEXT_MESSAGE_CONTENT")) text.append(m.data().path("delta").asText());
        }
        assertThat(text).hasToString("Hello");
    }

    @Test
    void answerFinalWithoutDeltas_isOneWholeTextMessage() throws Exception {
        publish("ag-final", "[{\"type\":\"run.started\"},{\"type\":\"answer.final\",\"data\":{\"text\":\"All of it\"}},{\"type\":\"run.completed\"}]");
        List<Message> ms = all("ag-final");
        assertThat(types(ms)).containsExactly("RUN_STARTED", "STATE_SNAPSHOT", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(ms.get(3).data().path("delta").asText()).isEqualTo("All of it");
    }

    @Test
    void resume_fromEverySeq_sendsExactlyTheEventsOfLaterSeqs() throws Exception {
        publish("ag-resume", PLAN);
        List<Message> full = all("ag-resume");
        for (int i = 0; i < full.size(); i++) {
            String id = full.get(i).id();
            if (id == null || id.equals("9")) continue; // "9" has it all: see resume_afterTheWholeEndedRun_is204
            List<Message> rest;
            try (SseReader r = SseReader.open(port, "/api/runs/ag-resume/agui", id)) {
                assertThat(r.response.statusCode()).isEqualTo(200);
                rest = r.readToEnd();
            }
            assertThat(rest).as("resumed after seq " + id).isEqualTo(full.subList(i + 1, full.size()));
        }
    }

    @Test
    void resume_afterADropMidStream_losesAndRepeatsNothing() throws Exception {
        String[] events = Json.parse(PLAN).valueStream().map(Json::write).toArray(String[]::new);
        publish("ag-drop", "[" + String.join(",", List.of(events).subList(0, 4)) + "]");
        List<Message> before;
        try (SseReader r = SseReader.open(port, "/api/runs/ag-drop/agui", null)) {
            before = r.readUntil(m -> "3".equals(m.id()));
        } // dropped after seq 3, with seq 4 already sent or on its way
        publish("ag-drop", "[" + String.join(",", List.of(events).subList(4, events.length)) + "]");
        List<Message> after;
        try (SseReader r = SseReader.open(port, "/api/runs/ag-drop/agui", "3")) {
            after = r.readToEnd();
        }
        List<Message> whole = new java.util.ArrayList<>(before);
        whole.addAll(after);
        List<Message> expected = all("ag-drop");
        assertThat(whole).isEqualTo(expected);
        assertThat(types(whole).stream().filter(TERMINALS::contains)).containsExactly("RUN_FINISHED");
        assertThat(types(whole).stream().filter("RUN_STARTED"::equals)).hasSize(1);
    }

    @Test
    void resume_afterTheWholeEndedRun_is204() throws Exception {
        publish("ag-ended", "[{\"type\":\"run.started\"},{\"type\":\"run.completed\"}]");
        try (SseReader r = SseReader.open(port, "/api/runs/ag-ended/agui", "2")) {
            assertThat(r.response.statusCode()).isEqualTo(204);
        }
    }

    @Test
    void cancelledRun_endsWithTheCancelledOutcome_closingWhatWasOpen() throws Exception {
        publish("ag-cancel", "[{\"type\":\"run.started\"},{\"type\":\"step.started\",\"step\":\"s\",\"agent\":\"x\"},"
                + "{\"type\":\"answer.delta\",\"data\":{\"text\":\"par\"}}]");
        try (SseReader r = SseReader.open(port, "/api/runs/ag-cancel/agui", null)) {
            List<Message> head = r.readUntil(m -> m.type().equals("TEXT_MESSAGE_CONTENT"));
            assertThat(types(head)).containsExactly("RUN_STARTED", "STATE_SNAPSHOT", "STEP_STARTED", "STATE_DELTA",
                    "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT");
            assertThat(post(port, "/api/runs/ag-cancel/cancel", "{\"reason\":\"enough\"}").statusCode()).isEqualTo(200);
            List<Message> tail = r.readToEnd();
            assertThat(types(tail)).containsExactly("TEXT_MESSAGE_END", "STEP_FINISHED", "RUN_FINISHED");
            assertThat(tail.get(1).data().path("stepName").asText()).isEqualTo("s");
            assertThat(tail.get(2).data().path("outcome").path("type").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void failedRun_endsWithRunErrorAlone() throws Exception {
        publish("ag-fail", "[{\"type\":\"run.started\"},{\"type\":\"step.started\",\"step\":\"s\"},"
                + "{\"type\":\"step.failed\",\"step\":\"s\",\"data\":{\"error\":\"boom\"}},{\"type\":\"run.failed\",\"data\":{\"reason\":\"boom\",\"step\":\"s\"}}]");
        List<Message> ms = all("ag-fail");
        assertThat(types(ms)).containsExactly("RUN_STARTED", "STATE_SNAPSHOT", "STEP_STARTED", "STATE_DELTA",
                "STEP_FINISHED", "STATE_DELTA", "RUN_ERROR");
        assertThat(ms.get(6).data().path("message").asText()).isEqualTo("boom");
    }

    @Test
    void runWithoutRunStarted_stillOpensWithRunStarted() throws Exception {
        publish("ag-bare", "[{\"type\":\"log.line\",\"data\":{\"level\":\"info\",\"message\":\"m\"}},{\"type\":\"run.completed\"}]");
        assertThat(types(all("ag-bare"))).containsExactly("RUN_STARTED", "STATE_SNAPSHOT", "CUSTOM", "RUN_FINISHED");
    }
}
