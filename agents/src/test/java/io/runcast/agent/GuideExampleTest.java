package io.runcast.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import org.junit.jupiter.api.Test;

class GuideExampleTest {
    @Test
    void theGuidesExample_runsToCompletion_withTheDefaultTone() throws Exception {
        Event end = GuideExample.run(0);
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        assertThat(end.dataNode().path("summary").path("tool_calls").asInt()).isEqualTo(1);
    }
}
