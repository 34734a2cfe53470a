package io.runcast.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.config.RuncastConfig;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.server.RuncastServer;
import org.junit.jupiter.api.Test;

class ToolGuideExampleTest {
    @Test
    void theGuidesToolsExample_runsTheCall_andTheStepReturnsTheToolMessage() throws Exception {
        try (RuncastServer server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build());
             PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT)) {
            Event end = ToolGuideExample.run(executor);
            assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
            assertThat(end.dataNode().path("summary").path("tool_calls_by_tool").path("add").asInt()).isEqualTo(1);
            assertThat(end.dataNode().path("summary").path("tool_cache_misses").asInt()).isEqualTo(1);
            Event completed = server.engine().read("tools-1", 0, 100).events().stream()
                    .filter(e -> e.type().equals(EventTypes.STEP_COMPLETED)).findFirst().orElseThrow();
            assertThat(completed.dataNode().path("result").asText()).isEqualTo("5.0");
        }
    }
}
