package io.runcast.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import java.time.Duration;

/** The drafts the executor writes about a step, in one place so their fields match docs/events.md. */
final class StepEvents {
    private StepEvents() {}

    static EventDraft started(Step s) {
        ObjectNode d = Json.object();
        d.put("agent", s.agentName());
        s.after().forEach(d.putArray("after")::add);
        if (s.input() != null) d.set("input", s.input());
        return draft(EventTypes.STEP_STARTED, s, d);
    }

    static EventDraft completed(Step s, JsonNode result, long ms, int attempts) {
        ObjectNode d = Json.object();
        d.set("result", result);
        d.put("duration_ms", ms);
        d.put("attempts", attempts);
        return draft(EventTypes.STEP_COMPLETED, s, d);
    }

    static EventDraft retrying(Step s, String message, int attempt, Duration backoff) {
        ObjectNode d = Json.object();
        d.put("error_message", message);
        d.put("strategy", "retry");
        d.put("attempt", attempt);
        d.put("next_attempt", attempt + 1);
        d.put("max_attempts", s.retry().maxAttempts());
        d.put("backoff_ms", backoff.toMillis());
        d.put("can_continue", true);
        return draft(EventTypes.ERROR_RECOVERY, s, d);
    }

    static EventDraft failed(Step s, String message, long ms, int attempts, boolean timedOut) {
        ObjectNode d = Json.object();
        d.put("error", message);
        d.put("duration_ms", ms);
        d.put("attempts", attempts);
        if (timedOut) d.put("timed_out", true);
        return draft(EventTypes.STEP_FAILED, s, d);
    }

    private static EventDraft draft(String type, Step s, ObjectNode data) {
        return new EventDraft(type, s.id(), s.agentName(), Json.write(data), null);
    }
}
