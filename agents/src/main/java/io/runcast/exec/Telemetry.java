package io.runcast.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects one run's timings and counts from the drafts it emits, for the terminal event's
 * {@code data.summary}: time to first event, to first answer token, to done; per-step and per-stage
 * (phase) durations; tool calls by tool and tool-cache use (the {@code cache} field of {@code tool.result});
 * retries; pauses. Thread-safe.
 */
final class Telemetry {
    private final long startNanos = System.nanoTime();
    private long firstEventMs = -1;
    private long firstTokenMs = -1;
    private final Map<String, Long> steps = new LinkedHashMap<>();
    private final Map<String, Long> stages = new LinkedHashMap<>();
    private String stage;
    private long stageSince;
    private final Map<String, Integer> tools = new TreeMap<>();
    private int toolCalls;
    private long toolMs;
    private int cacheHits;
    private int cacheMisses;
    private int cacheBypasses;
    private long tokensIn = -1;
    private long tokensOut = -1;
    private int retries;
    private int decisions;
    private int events;
    private long pausedMs;
    private long pausedSince = -1;

    synchronized void emitted(EventDraft d) {
        long now = elapsedMs();
        events++;
        switch (d.type()) {
            case EventTypes.TOOL_CALL -> {
                toolCalls++;
                String tool = Json.parseObject(d.data()).path("tool").asText("unknown");
                tools.merge(tool, 1, Integer::sum);
            }
            case EventTypes.TOOL_RESULT -> {
                var r = Json.parseObject(d.data());
                toolMs += Math.max(0, r.path("duration_ms").asLong(0));
                switch (r.path("cache").asText("")) {
                    case "hit" -> cacheHits++;
                    case "miss" -> cacheMisses++;
                    case "bypass" -> cacheBypasses++;
                    default -> { } // an uncached tool
                }
            }
            case EventTypes.METRICS_UPDATE -> {
                var m = Json.parseObject(d.data());
                if (m.path("tokens_in").canConvertToLong()) tokensIn = Math.max(tokensIn, 0) + m.path("tokens_in").asLong();
                if (m.path("tokens_out").canConvertToLong()) tokensOut = Math.max(tokensOut, 0) + m.path("tokens_out").asLong();
            }
            case EventTypes.ANSWER_DELTA, EventTypes.ANSWER_FINAL -> {
                if (firstTokenMs < 0) firstTokenMs = now;
            }
            case EventTypes.WORKFLOW_STAGE -> {
                closeStage(now);
                stage = Json.parseObject(d.data()).path("stage").asText(null);
                stageSince = now;
            }
            case EventTypes.ERROR_RECOVERY -> retries++;
            case EventTypes.DECISION_REQUESTED -> decisions++;
            default -> { }
        }
    }

    synchronized void firstEvent() {
        if (firstEventMs < 0) firstEventMs = elapsedMs();
    }

    synchronized void step(String id, long durationMs) {
        steps.put(id, durationMs);
    }

    synchronized void paused(boolean paused) {
        long now = elapsedMs();
        if (paused && pausedSince < 0) pausedSince = now;
        if (!paused && pausedSince >= 0) {
            pausedMs += now - pausedSince;
            pausedSince = -1;
        }
    }

    long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A snapshot for a terminal event; {@code time_to_done_ms} is measured now. */
    synchronized ObjectNode summary() {
        long now = elapsedMs();
        ObjectNode s = Json.object();
        s.put("time_to_first_event_ms", Math.max(firstEventMs, 0));
        if (firstTokenMs >= 0) s.put("time_to_first_token_ms", firstTokenMs);
        s.put("time_to_done_ms", now);
        ObjectNode st = s.putObject("steps_ms");
        steps.forEach(st::put);
        Map<String, Long> phases = new LinkedHashMap<>(stages);
        if (stage != null) phases.merge(stage, now - stageSince, Long::sum);
        ObjectNode ph = s.putObject("phases_ms");
        phases.forEach(ph::put);
        s.put("tool_calls", toolCalls);
        ObjectNode by = s.putObject("tool_calls_by_tool");
        tools.forEach(by::put);
        s.put("tool_ms", toolMs);
        s.put("tool_cache_hits", cacheHits);
        s.put("tool_cache_misses", cacheMisses);
        s.put("tool_cache_bypasses", cacheBypasses);
        if (tokensIn >= 0) s.put("tokens_in", tokensIn);
        if (tokensOut >= 0) s.put("tokens_out", tokensOut);
        s.put("retries", retries);
        s.put("decisions", decisions);
        s.put("events", events);
        s.put("paused_ms", pausedMs + (pausedSince >= 0 ? now - pausedSince : 0));
        return s;
    }

    private void closeStage(long now) {
        if (stage != null) stages.merge(stage, now - stageSince, Long::sum);
    }
}
