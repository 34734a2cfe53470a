package io.runcast.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress figure a run's tracker reports: the dashboard's figure, computed once on the server. */
class RunTrackerTest {
    private final RunTracker tracker = new RunTracker("r");
    private long seq;

    private Event ev(String type, String step, String data) {
        return new Event("r", ++seq, "id" + seq, type, Instant.parse("2026-01-01T00:00:00Z").plusMillis(seq), step, null, data);
    }

    private boolean record(Event... events) {
        return tracker.record(List.of(events));
    }

    @Test
    void stepsAverage_overTheStepsRunStartedAnnounced() {
        assertThat(record(ev("run.started", null, "{\"steps\":2}"))).isTrue();
        record(ev("step.started", "a", "{}"), ev("step.completed", "a", "{}"));
        assertThat(record(ev("step.started", "b", "{}"))).as("already owes an entry").isFalse();
        record(ev("step.progress", "b", "{\"progress\":40,\"message\":\"reading\"}"));
        ObjectNode p = tracker.progress();
        assertThat(p.path("run").asText()).isEqualTo("r");
        assertThat(p.path("head").asLong()).isEqualTo(5);
        assertThat(p.path("updated").asText()).isEqualTo("2026-01-01T00:00:00.005Z");
        assertThat(p.path("progress").asDouble()).isEqualTo(70.0);
        assertThat(p.path("step").asText()).isEqualTo("b");
        assertThat(p.path("note").asText()).isEqualTo("reading");
    }

    @Test
    void noEntry_whenTheHeadDidNotMove_andDirtyAgainAfterAnEntry() {
        record(ev("agent.thinking", null, "{}"));
        assertThat(tracker.progress()).isNotNull();
        assertThat(tracker.progress()).isNull();
        assertThat(record(ev("agent.thinking", null, "{}"))).as("clean again after the entry").isTrue();
        ObjectNode p = tracker.progress();
        assertThat(p.path("head").asLong()).isEqualTo(2);
        assertThat(p.has("progress")).as("no step or stage: no figure").isFalse();
    }

    @Test
    void stepsSeenBeyondTheAnnouncedTotal_countInTheMean() {
        record(ev("run.started", null, "{\"steps\":[{\"id\":\"a\"}]}"));
        record(ev("step.completed", "a", "{}"), ev("step.started", "b", "{}"));
        assertThat(tracker.progress().path("progress").asDouble()).isEqualTo(50.0);
    }

    @Test
    void workflowStage_winsWhenNewerThanTheLastStepEvent() {
        record(ev("step.progress", "a", "{\"progress\":10}"), ev("workflow.stage", null, "{\"stage\":\"Write\",\"completion_percentage\":75}"));
        ObjectNode p = tracker.progress();
        assertThat(p.path("progress").asDouble()).isEqualTo(75.0);
        assertThat(p.path("note").asText()).isEqualTo("Write");
        assertThat(p.has("step")).isFalse();
        record(ev("step.progress", "a", "{\"progress\":20}"));
        assertThat(tracker.progress().path("progress").asDouble()).isEqualTo(20.0);
    }

    @Test
    void progressWithoutANumber_keepsTheStepsLastKnownValue() {
        record(ev("step.progress", "a", "{\"progress\":60}"));
        assertThat(tracker.progress().path("progress").asDouble()).isEqualTo(60.0);
        record(ev("step.progress", "a", "{\"message\":\"still going\"}"));
        ObjectNode p = tracker.progress();
        assertThat(p.path("progress").asDouble()).isEqualTo(60.0);
        assertThat(p.path("note").asText()).isEqualTo("still going");
    }

    @Test
    void outOfRangeProgress_isClamped_andLongNotesAreCut() {
        record(ev("step.progress", "a", "{\"progress\":250,\"message\":\"" + "x".repeat(500) + "\"}"));
        ObjectNode p = tracker.progress();
        assertThat(p.path("progress").asDouble()).isEqualTo(100.0);
        assertThat(p.path("note").asText()).hasSize(201).endsWith("…");
    }

    @Test
    void stepsAreCapped_soAProducerNamingAStepPerEventCannotGrowTheTracker() {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < RunTracker.MAX_STEPS + 50; i++) batch.add(ev("step.completed", "s" + i, "{}"));
        batch.add(ev("step.started", "s0", "{}")); // a tracked step still updates
        tracker.record(batch);
        ObjectNode p = tracker.progress();
        assertThat(p.path("step").asText()).isEqualTo("s0");
        double expected = Math.round((RunTracker.MAX_STEPS - 1) * 100.0 / RunTracker.MAX_STEPS * 10) / 10.0;
        assertThat(p.path("progress").asDouble()).isEqualTo(expected);
    }
}
