package io.runcast.seeds.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.runcast.event.Json;
import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.HttpExchange;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Seed 003's REST API, in the project's shapes: sessions ({@code id, name, project_id, user_id,
 * created_at, updated_at, status}) and messages ({@code id, content, role, timestamp, session_id,
 * user_id, agent_type?, metadata}). Errors are FastAPI's {@code {"detail": "…"}} with the HTTP status,
 * plus Runcast's {@code code}.
 *
 * <pre>
 * POST /api/chat/sessions {name, project_id?}        → the session
 * GET  /api/chat/sessions                            → recent sessions, newest first
 * GET  /api/chat/sessions/{id}                       → the session
 * POST /api/chat/sessions/{id}/messages {content}    → the person's message; its chat run streams to the watchers
 * GET  /api/chat/sessions/{id}/messages              → the session's messages, from its chat runs
 * </pre>
 */
final class SessionRoutes {
    private static final int LIST_LIMIT = 100;

    private final Services services;
    private final ManagerSessions sessions;

    SessionRoutes(Services services, ManagerSessions sessions) {
        this.services = services;
        this.sessions = sessions;
    }

    boolean handle(HttpExchange ex) {
        List<String> seg = ex.segments();
        if (seg.size() < 3 || !seg.get(0).equals("api") || !seg.get(1).equals("chat") || !seg.get(2).equals("sessions")) return false;
        try {
            HttpMethod m = ex.method();
            if (seg.size() == 3 && m.equals(HttpMethod.POST)) create(ex);
            else if (seg.size() == 3 && m.equals(HttpMethod.GET)) list(ex);
            else if (seg.size() == 4 && m.equals(HttpMethod.GET)) ex.json(200, session(seg.get(3)).toJson());
            else if (seg.size() == 5 && seg.get(4).equals("messages") && m.equals(HttpMethod.POST)) post(ex, seg.get(3));
            else if (seg.size() == 5 && seg.get(4).equals("messages") && m.equals(HttpMethod.GET)) ex.json(200, sessions.messages(session(seg.get(3)).id()));
            else if (seg.size() <= 5) fail(ex, 405, ErrorCode.BAD_REQUEST, "Method Not Allowed");
            else fail(ex, 404, ErrorCode.NOT_FOUND, "Not Found");
        } catch (RuntimeException e) {
            fail(ex, e);
        }
        return true;
    }

    private void create(HttpExchange ex) {
        JsonNode body = ex.body();
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) throw bad("name (a non-empty string) is required");
        JsonNode project = body.get("project_id");
        if (project != null && !project.isNull() && !project.isTextual()) throw bad("project_id must be a string");
        sessions.create(name.asText(), project == null || project.isNull() ? null : project.asText())
                .whenComplete((s, failure) -> {
                    if (failure != null) fail(ex, failure);
                    else ex.json(200, s.toJson());
                });
    }

    private void list(HttpExchange ex) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        String project = ex.query("project_id");
        for (ManagerSessions.Session s : sessions.list(LIST_LIMIT)) {
            if (project == null || project.equals(s.projectId())) out.add(s.toJson());
        }
        ex.json(200, out);
    }

    /** Starts the session's next turn; the answer is the person's message, as the project answers it. */
    private void post(HttpExchange ex, String id) {
        ManagerSessions.Session s = session(id);
        JsonNode content = ex.body().get("content");
        if (content == null || !content.isTextual() || content.asText().isBlank()) throw bad("content (a non-empty string) is required");
        ChatRequest request = new ChatRequest(content.asText(), null, s.id(), null);
        services.chats().start(request, ManagerFormat.NAME + " " + ex.remote()).whenComplete((started, failure) -> {
            if (failure != null) {
                fail(ex, failure);
                return;
            }
            sessions.started(s.id(), started.turn());
            ObjectNode m = Json.object().put("id", started.run() + ":user").put("content", content.asText()).put("role", "user")
                    .put("timestamp", Instant.now().toString()).put("session_id", s.id()).put("user_id", "runcast");
            m.putObject("metadata").put("run", started.run()).put("turn", started.turn()).put("agent", started.agent());
            ex.json(200, m);
        });
    }

    private ManagerSessions.Session session(String id) {
        return sessions.find(id).orElseThrow(() -> new RuncastException(ErrorCode.NOT_FOUND, "Chat session not found"));
    }

    private static void fail(HttpExchange ex, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ErrorCode code = t instanceof RuncastException r ? r.code() : ErrorCode.INTERNAL;
        fail(ex, code.httpStatus(), code, t instanceof RuncastException ? t.getMessage() : "internal error");
    }

    private static void fail(HttpExchange ex, int status, ErrorCode code, String detail) {
        ex.json(status, Json.object().put("detail", detail).put("code", code.wire()));
    }

    private static RuncastException bad(String message) {
        return new RuncastException(ErrorCode.BAD_REQUEST, message);
    }
}
