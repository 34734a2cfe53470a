package io.runcast.seeds.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.engine.Engine;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Ids;
import io.runcast.event.Json;
import io.runcast.event.RunStatus;
import io.runcast.feed.RunFeed;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seed 003's chat sessions, kept in the store and nowhere else that matters: a session {@code S} is a
 * run {@code S} of two events ({@code run.started} with {@code kind: "session"}, its name and project,
 * then {@code run.completed}), and its messages are the chat runs {@code S.1}, {@code S.2} … of
 * conversation {@code S} (docs/protocol.md, "Chat runs"). A conversation started elsewhere (the native
 * {@code chat} op) is a session too, without a name. So sessions survive a restart as far as the
 * store does. The only memory here is a cache of each session's latest turn, which the store confirms.
 *
 * <p>Every method may read the store: call it off the event loop.
 */
final class ManagerSessions {
    static final String KIND = "session";
    private static final int PAGE = 1000;

    private final Engine engine;
    private final RunFeed feed;
    /** Session → the highest turn known to exist; a lower bound, probed upward from. */
    private final Map<String, Integer> turns = new ConcurrentHashMap<>();

    ManagerSessions(Engine engine, RunFeed feed) {
        this.engine = engine;
        this.feed = feed;
    }

    /** A session as the project's REST API answers it. */
    record Session(String id, String name, String projectId, Instant created, Instant updated, int turns) {
        ObjectNode toJson() {
            ObjectNode o = Json.object().put("id", id).put("name", name);
            o.set("project_id", projectId == null ? null : Json.MAPPER.getNodeFactory().textNode(projectId));
            return o.put("user_id", "runcast").put("created_at", created.toString()).put("updated_at", updated.toString())
                    .put("status", "active").put("message_count", turns);
        }
    }

    /** Creates a session: its record is a closed run, stored before this completes. */
    CompletionStage<Session> create(String name, String projectId) {
        String id = "session_" + Ids.newShortId();
        ObjectNode started = Json.object().put("kind", KIND).put("format", ManagerFormat.NAME).put("name", name);
        if (projectId != null) started.put("project_id", projectId);
        return engine.publish(id, List.of(EventDraft.of(EventTypes.RUN_STARTED, started),
                        EventDraft.of(EventTypes.RUN_COMPLETED, Json.object().put("kind", KIND))))
                .thenApply(a -> find(id).orElseThrow());
    }

    /** The session, from its record, or from its chat runs when it has none; empty when neither exists. */
    Optional<Session> find(String id) {
        if (!ManagerFormat.SESSION_ID.matcher(id).matches()) return Optional.empty();
        Optional<RunInfo> record = engine.info(id);
        String name = null;
        String project = null;
        Instant created = null;
        if (record.isPresent()) {
            List<Event> first = engine.read(id, 0, 1).events();
            JsonNode d = first.isEmpty() ? Json.object() : first.get(0).dataNode();
            if (!KIND.equals(d.path("kind").asText())) return Optional.empty(); // some other run of that name
            name = d.path("name").asText();
            project = d.path("project_id").isTextual() ? d.get("project_id").asText() : null;
            created = record.get().createdAt();
        }
        int n = latestTurn(id);
        if (record.isEmpty() && n == 0) return Optional.empty();
        Optional<RunInfo> last = n == 0 ? Optional.empty() : engine.info(turnRun(id, n));
        Instant updated = last.map(RunInfo::updatedAt).orElse(created);
        if (created == null) created = engine.info(turnRun(id, 1)).map(RunInfo::createdAt).orElse(updated);
        return Optional.of(new Session(id, name != null ? name : id, project, created, updated, n));
    }

    /** Recent sessions with a record, newest first. */
    List<Session> list(int limit) {
        List<Session> out = new ArrayList<>();
        for (RunInfo r : engine.list(Math.max(limit * 4, 200), false)) {
            if (out.size() >= limit) break;
            if (!r.run().startsWith("session_") || r.run().indexOf('.') >= 0) continue;
            find(r.run()).ifPresent(out::add);
        }
        return out;
    }

    static String turnRun(String session, int turn) {
        return session + "." + turn;
    }

    /** The session's latest turn (0: none yet): the cached bound, then probed upward in the store. */
    int latestTurn(String session) {
        int n = turns.getOrDefault(session, 0);
        while (engine.info(turnRun(session, n + 1)).isPresent()) n++;
        int found = n;
        turns.merge(session, found, Math::max);
        return found;
    }

    /** A turn that was just started here (its first event may not be stored yet). */
    void started(String session, int turn) {
        turns.merge(session, turn, Math::max);
    }

    /** The session's messages: each turn's person's message and, once answered, the reply. */
    ArrayNode messages(String session) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        int n = latestTurn(session);
        for (int t = 1; t <= n; t++) {
            String run = turnRun(session, t);
            for (Event e : events(run)) {
                if (e.type().equals(EventTypes.RUN_STARTED) && e.dataNode().path("message").isTextual()) {
                    out.add(message(run + ":user", e.dataNode().get("message").asText(), "user", null, e, session));
                } else if (e.type().equals(EventTypes.ANSWER_FINAL)) {
                    out.add(message(run + ":assistant", e.dataNode().path("text").asText(), "assistant", e.agent(), e, session));
                }
            }
        }
        return out;
    }

    /**
     * The session's workflow status now: its latest turn's state from the store, progress from the run
     * feed, and the decisions still waiting for an answer.
     */
    ObjectNode status(String session) {
        int n = latestTurn(session);
        ObjectNode o = Json.object().put("session_id", session).put("turns", n);
        if (n == 0) return o.put("status", "idle").putNull("run");
        String run = turnRun(session, n);
        Optional<RunInfo> info = engine.info(run);
        RunStatus status = info.map(RunInfo::status).orElse(RunStatus.RUNNING);
        Map<String, JsonNode> pending = new LinkedHashMap<>();
        String stage = null;
        String step = null;
        JsonNode percent = null;
        for (Event e : events(run)) {
            JsonNode d = e.dataNode();
            switch (e.type()) {
                case EventTypes.DECISION_REQUESTED -> pending.put(d.path("decision").asText(), ManagerFrames.DECISION_NEEDED.data().apply(e));
                case EventTypes.DECISION_RESOLVED -> pending.remove(d.path("decision").asText());
                case EventTypes.WORKFLOW_STAGE -> {
                    stage = d.path("stage").asText(null);
                    if (d.path("completion_percentage").isNumber()) percent = d.get("completion_percentage");
                }
                case EventTypes.STEP_STARTED -> step = e.step();
                default -> { }
            }
        }
        JsonNode progress = feed.lastProgress(run);
        if (status == RunStatus.COMPLETED) percent = Json.MAPPER.getNodeFactory().numberNode(100);
        else if (progress != null && progress.path("progress").isNumber()) percent = progress.get("progress");
        String wire = !status.isClosed() && !pending.isEmpty() ? "waiting_for_user" : status.wire();
        o.put("status", wire).put("run", run).put("run_status", status.wire());
        o.put("current_stage", stage != null ? stage : step != null ? step : status.isClosed() ? status.wire() : "started");
        o.set("completion_percentage", percent);
        ArrayNode decisions = o.putArray("pending_decisions");
        pending.values().forEach(decisions::add);
        info.ifPresent(i -> o.put("head", i.head()).put("updated_at", i.updatedAt().toString()));
        return o;
    }

    private List<Event> events(String run) {
        List<Event> out = new ArrayList<>();
        long after = 0;
        while (true) {
            History page = engine.read(run, after, PAGE);
            out.addAll(page.events());
            if (page.events().isEmpty() || page.events().get(page.events().size() - 1).seq() >= page.head()) return out;
            after = page.events().get(page.events().size() - 1).seq();
        }
    }

    private static ObjectNode message(String id, String content, String role, String agent, Event e, String session) {
        ObjectNode o = Json.object().put("id", id).put("content", content).put("role", role)
                .put("timestamp", e.time().toString()).put("session_id", session).put("user_id", "runcast");
        if (agent != null) o.put("agent_type", agent);
        o.putObject("metadata").put("run", e.run());
        return o;
    }
}
