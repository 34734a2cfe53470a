package io.runcast.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.event.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the feed knows of one open run. Committing threads {@link #record} batches under the monitor,
 * keeping only references to the latest events that matter (no JSON is parsed on their path); the
 * feed thread turns them into a progress entry at most once per interval. The fields below the
 * monitor-guarded ones belong to the feed thread alone.
 *
 * <p>Progress is the mean of the steps' progress (0 when started, {@code data.progress} while
 * running, 100 when completed) over {@code max(steps announced by run.started, steps seen)}, or the
 * latest {@code workflow.stage}'s {@code completion_percentage} when that came after the last step
 * event — the figure the dashboard has always shown.
 */
final class RunTracker {
    /** Steps tracked per run; a producer that names a step per event must not grow this without bound. */
    static final int MAX_STEPS = 256;
    private static final int MAX_NOTE = 200;

    final String run;

    // ---- guarded by this; written on committing threads ----
    private long head;
    private Instant updated;
    private Event started;
    private final Map<String, Event> steps = new LinkedHashMap<>();
    private Event stage;
    private Event lastStep;
    private boolean dirty;

    /** The latest progress entry, for run listings; written by the feed thread, never changed once set. */
    volatile ObjectNode lastEntry;

    // ---- feed thread only ----
    RunStatus status;  // null while unknown (first seen in the middle of its life, e.g. after a restart)
    Instant created;
    boolean closed;
    private long reportedHead;
    private final Map<String, Valued> values = new HashMap<>();
    private Event countedStart;
    private int total;

    RunTracker(String run) {
        this.run = run;
    }

    /** Records a committed batch. Returns true when the run just became dirty, i.e. owes a progress entry. */
    synchronized boolean record(List<Event> events) {
        for (Event e : events) {
            switch (e.type()) {
                case EventTypes.RUN_STARTED -> started = e;
                case EventTypes.STEP_STARTED, EventTypes.STEP_PROGRESS, EventTypes.STEP_COMPLETED -> {
                    if (e.step() != null && (steps.size() < MAX_STEPS || steps.containsKey(e.step()))) {
                        steps.put(e.step(), e);
                        lastStep = e;
                    }
                }
                case EventTypes.WORKFLOW_STAGE -> stage = e;
                default -> { }
            }
        }
        Event last = events.get(events.size() - 1);
        head = last.seq();
        updated = last.time();
        boolean wasDirty = dirty;
        dirty = true;
        return !wasDirty;
    }

    /**
     * The run's progress entry, {@code {run, head, updated, progress?, step?, note?}}, or null when its
     * head has not moved since the last one. Feed thread; clears the dirty mark.
     */
    ObjectNode progress() {
        ObjectNode entry = entry();
        if (entry != null) lastEntry = entry;
        return entry;
    }

    private ObjectNode entry() {
        long h;
        Instant at;
        Event start, lastStage, newestStep;
        List<Event> latest;
        synchronized (this) {
            dirty = false;
            if (head <= reportedHead) return null;
            h = head;
            at = updated;
            start = started;
            lastStage = stage;
            newestStep = lastStep;
            latest = new ArrayList<>(steps.values());
        }
        reportedHead = h;
        ObjectNode entry = Json.object().put("run", run).put("head", h).put("updated", at.toString());
        if (lastStage != null && (newestStep == null || lastStage.seq() > newestStep.seq())) {
            JsonNode d = lastStage.dataNode();
            if (d.path("completion_percentage").isNumber()) {
                entry.put("progress", clamp(d.path("completion_percentage").asDouble()));
                note(entry, d.path("stage"));
                return entry;
            }
        }
        if (newestStep == null) return entry;
        countTotal(start);
        double sum = 0;
        for (Event e : latest) sum += value(e);
        entry.put("progress", clamp(Math.round(sum / Math.max(total, latest.size()) * 10) / 10.0));
        entry.put("step", newestStep.step());
        if (newestStep.type().equals(EventTypes.STEP_PROGRESS)) note(entry, newestStep.dataNode().path("message"));
        return entry;
    }

    /**
     * A step's progress from its latest event; a progress event without a number keeps the last known
     * one. Each event is parsed once, however many summaries it stays the latest for.
     */
    private double value(Event e) {
        Valued known = values.get(e.step());
        if (known != null && known.event() == e) return known.value();
        double v = switch (e.type()) {
            case EventTypes.STEP_STARTED -> 0;
            case EventTypes.STEP_COMPLETED -> 100;
            default -> {
                JsonNode p = e.dataNode().path("progress");
                yield p.isNumber() ? clamp(p.asDouble()) : known == null ? 0 : known.value();
            }
        };
        values.put(e.step(), new Valued(e, v));
        return v;
    }

    private record Valued(Event event, double value) {}

    /** The number of steps run.started announced ({@code steps}: an array or a number), parsed once. */
    private void countTotal(Event start) {
        if (start == null || start == countedStart) return;
        countedStart = start;
        JsonNode s = start.dataNode().path("steps");
        total = s.isArray() ? s.size() : s.isNumber() ? Math.max(0, s.asInt()) : 0;
    }

    private static void note(ObjectNode entry, JsonNode text) {
        if (!text.isTextual() || text.asText().isEmpty()) return;
        String t = text.asText();
        entry.put("note", t.length() > MAX_NOTE ? t.substring(0, MAX_NOTE) + "…" : t);
    }

    private static double clamp(double pct) {
        return Math.max(0, Math.min(100, pct));
    }
}
