package io.runcast.seeds.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Ids;
import io.runcast.event.Json;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.HttpExchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /api/conversations}, {@code GET /api/conversations} and {@code GET /api/conversations/{id}}.
 * A conversation's messages are read from its stored chat runs (turn n of conversation c is run
 * {@code c.n}: the person's message from {@code run.started}, the reply from {@code answer.final}), so
 * they survive a restart with a durable store; the titles live in this process only.
 */
final class FleetConversations {
    static final String DEFAULT_TITLE = "New Chat";
    private static final int PAGE = 1000;

    private record Conversation(String id, String title, Instant createdAt) {}

    private final Services services;
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

    FleetConversations(Services services) {
        this.services = services;
    }

    void serve(HttpExchange ex, List<String> segments) {
        if (segments.size() == 2 && ex.method().equals(HttpMethod.POST)) {
            create(ex);
        } else if (segments.size() == 2 && ex.method().equals(HttpMethod.GET)) {
            ArrayNode list = Json.MAPPER.createArrayNode();
            conversations.values().stream().sorted(Comparator.comparing(Conversation::createdAt).reversed())
                    .forEach(c -> list.add(json(c, false)));
            ex.json(200, list);
        } else if (segments.size() == 3 && ex.method().equals(HttpMethod.GET)) {
            Optional<Conversation> c = find(segments.get(2));
            if (c.isEmpty()) FleetFormat.detail(ex, 404, "Conversation not found: " + segments.get(2));
            else ex.json(200, json(c.get(), true));
        } else {
            FleetFormat.detail(ex, 405, "Method not allowed");
        }
    }

    private void create(HttpExchange ex) {
        JsonNode body;
        try {
            body = ex.bodyOrEmpty();
        } catch (RuntimeException e) {
            FleetFormat.detail(ex, 400, "The body must be JSON: {\"title\": \"…\"}");
            return;
        }
        JsonNode title = body.path("title");
        if (!body.isObject() || (!title.isMissingNode() && !title.isNull() && !title.isTextual())) {
            FleetFormat.detail(ex, 422, "title must be a string");
            return;
        }
        Conversation c = new Conversation("conv-" + Ids.newShortId(),
                title.isTextual() && !title.asText().isBlank() ? title.asText() : DEFAULT_TITLE, Instant.now());
        conversations.put(c.id(), c);
        ex.json(201, json(c, true));
    }

    /** One made here, or one that only exists in the store (made before a restart, or by a client that never POSTed). */
    private Optional<Conversation> find(String id) {
        Conversation c = conversations.get(id);
        if (c != null) return Optional.of(c);
        Optional<RunInfo> first = services.engine().info(id + ".1");
        if (first.isEmpty()) return Optional.empty();
        return Optional.of(new Conversation(id, DEFAULT_TITLE, first.get().createdAt()));
    }

    private ObjectNode json(Conversation c, boolean withMessages) {
        ObjectNode o = Json.object().put("id", c.id()).put("title", c.title()).put("created_at", FleetEvents.iso(c.createdAt()));
        Instant updated = c.createdAt();
        ArrayNode messages = o.putArray("messages");
        for (int turn = 1; ; turn++) {
            String run = c.id() + "." + turn;
            Optional<RunInfo> info = services.engine().info(run);
            if (info.isEmpty()) break;
            if (info.get().updatedAt().isAfter(updated)) updated = info.get().updatedAt();
            if (withMessages) messages.addAll(messages(run));
        }
        o.put("updated_at", FleetEvents.iso(updated));
        o.set("messages", messages);
        return o;
    }

    /** One turn's messages: the person's, then the reply (or a note that there was none). */
    private List<ObjectNode> messages(String run) {
        List<ObjectNode> out = new ArrayList<>();
        long after = 0;
        Event started = null;
        Event answer = null;
        Event end = null;
        while (true) {
            History page = services.engine().read(run, after, PAGE);
            for (Event e : page.events()) {
                if (e.type().equals(EventTypes.RUN_STARTED) && started == null) started = e;
                else if (e.type().equals(EventTypes.ANSWER_FINAL) && answer == null) answer = e;
                else if (e.isTerminal()) end = e;
            }
            if (page.events().isEmpty() || page.events().get(page.events().size() - 1).seq() >= page.head()) break;
            after = page.events().get(page.events().size() - 1).seq();
        }
        if (started == null) return out;
        String agent = started.dataNode().path("agent").asText(null);
        out.add(message(run + "-user", "user", started.dataNode().path("message").asText(""), started.time(), null));
        if (answer != null) {
            out.add(message(run + "-assistant", "assistant", answer.dataNode().path("text").asText(""), answer.time(),
                    answer.agent() != null ? answer.agent() : agent));
        } else if (end != null && !end.type().equals(EventTypes.RUN_COMPLETED)) {
            out.add(message(run + "-system", "system", end.type().equals(EventTypes.RUN_CANCELLED) ? "Cancelled."
                    : "The workflow failed: " + end.dataNode().path("reason").asText("unknown"), end.time(), null));
        }
        return out;
    }

    private static ObjectNode message(String id, String role, String content, Instant at, String agent) {
        ObjectNode m = Json.object().put("id", id).put("role", role).put("content", content).put("created_at", FleetEvents.iso(at));
        if (agent != null) m.put("author", agent).put("agent_id", agent);
        return m;
    }
}
