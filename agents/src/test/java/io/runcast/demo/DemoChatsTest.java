package io.runcast.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.chats.ChatConfig;
import io.runcast.chats.ChatRunner;
import io.runcast.chats.ScriptedAgent;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.builtin.Builtins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's conversations with the scripted agent: every turn ends well, and together they show the chat catalogue. */
class DemoChatsTest {
    @Test
    void everyScriptedConversation_completes_andTogetherTheyCoverTheChatEvents() throws Exception {
        try (RuncastServer server = TestServer.start();
             PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
             ToolDispatcher tools = new ToolDispatcher(Builtins.registry())) {
            // nobody answers the note's approval here: it is denied after 100 ms, and the turn still completes
            ChatRunner chats = new ChatRunner(server.engine(), executor,
                    List.of(new ScriptedAgent(tools, 0, Duration.ofMillis(100))), ChatConfig.DEFAULT);
            List<String> runs = new ArrayList<>();
            DemoChats.Options options = new DemoChats.Options("t", Duration.ZERO, runs::add);
            Set<String> types = new HashSet<>();
            Set<String> pipelines = new HashSet<>();
            for (DemoChats.Script s : DemoChats.SCRIPTS) {
                for (String message : s.messages()) {
                    Event end = DemoChats.talk(chats, "t-" + s.name(), message, options);
                    assertThat(end.type()).as(message).isEqualTo(EventTypes.RUN_COMPLETED);
                }
            }
            for (String run : runs) {
                for (Event e : server.engine().read(run, 0, 1000).events()) {
                    types.add(e.type());
                    if (e.type().equals(EventTypes.WORKFLOW_ROUTE)) pipelines.add(e.dataNode().path("pipeline").asText());
                }
            }
            assertThat(runs).hasSize(6).contains("t-math.2", "t-notes.2");
            assertThat(types).contains(EventTypes.AGENT_THINKING, EventTypes.TOOL_CALL, EventTypes.TOOL_RESULT,
                    EventTypes.DECISION_REQUESTED, EventTypes.DECISION_RESOLVED, EventTypes.ANSWER_DELTA, EventTypes.ANSWER_FINAL,
                    EventTypes.WORKFLOW_STAGE, EventTypes.WORKFLOW_ROUTE, EventTypes.QUALITY_CHECK);
            assertThat(pipelines).containsExactlyInAnyOrder("light", "full");
            chats.close();
        }
    }
}
