package io.runcast.agui;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.agui.SseReader.Message;
import io.runcast.event.Json;
import io.runcast.seeds.testing.ChatFixture;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real chat — the scripted agent run by the plan executor — watched as AG-UI. */
class AgUiChatTest {
    static ChatFixture chat;

    @BeforeAll
    static void start() {
        chat = ChatFixture.start();
        AgUi.install(chat.server);
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    @Test
    void aChatRun_opensOnce_streamsItsAnswerAsOneTextMessage_andEndsOnce() throws Exception {
        var res = post(chat.port(), "/api/chats", "{\"message\":\"hello there\"}");
        assertThat(res.statusCode()).isEqualTo(201);
        String run = Json.parse(res.body()).path("run").asText();
        chat.awaitStatus(run, "completed");
        List<Message> ms;
        try (SseReader r = SseReader.open(chat.port(), "/api/runs/" + run + "/agui", null)) {
            ms = r.readToEnd();
        }
        List<String> types = ms.stream().map(Message::type).toList();
        assertThat(types.get(0)).isEqualTo("RUN_STARTED");
        assertThat(types.stream().filter("RUN_STARTED"::equals)).hasSize(1);
        assertThat(types.stream().filter(Set.of("RUN_FINISHED", "RUN_ERROR")::contains)).containsExactly("RUN_FINISHED");
        assertThat(types.get(types.size() - 1)).isEqualTo("RUN_FINISHED");
        assertThat(types).contains("STEP_STARTED", "STEP_FINISHED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_END");

        // the text message carries exactly the answer the run stored
        String answer = chat.server.engine().read(run, 0, 10_000).events().stream()
                .filter(e -> e.type().equals("answer.final")).map(e -> Json.parse(e.data()).path("text").asText())
                .findFirst().orElseThrow();
        assertThat(answer).isNotBlank();
        StringBuilder text = new StringBuilder();
        for (Message m : ms) if (m.type().equals("TEXT_MESSAGE_CONTENT")) text.append(m.data().path("delta").asText());
        assertThat(text).hasToString(answer);
        // steps open and close in pairs
        assertThat(types.stream().filter("STEP_STARTED"::equals).count())
                .isEqualTo(types.stream().filter("STEP_FINISHED"::equals).count());
    }
}
