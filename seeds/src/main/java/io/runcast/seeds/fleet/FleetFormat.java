package io.runcast.seeds.fleet;

import io.netty.channel.ChannelHandler;
import io.runcast.event.Json;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.Endpoint;
import io.runcast.transport.endpoint.HttpExchange;
import io.runcast.transport.endpoint.WsOpen;
import java.util.List;
import java.util.Objects;

/**
 * Seed 004, the agent fleet: {@code /api/ws/chat} (one socket per message), the workflow sessions
 * ({@code /api/sessions}) and the conversations its {@code useChat} reads ({@code /api/conversations}).
 * HTTP errors use the project's (FastAPI's) shape, {@code {"detail": "…"}} (docs/compat.md, "004 — agent fleet").
 */
public final class FleetFormat implements Endpoint {
    static final String PATH = "/api/ws/chat";

    private final Services services;
    private final FleetConfig config;
    private final FleetRuns runs;
    private final FleetSessions sessions;
    private final FleetConversations conversations;

    public FleetFormat(Services services) {
        this(services, FleetConfig.DEFAULT);
    }

    public FleetFormat(Services services, FleetConfig config) {
        this.services = Objects.requireNonNull(services);
        this.config = Objects.requireNonNull(config);
        this.runs = new FleetRuns(services, config.rejoinWindow());
        this.sessions = new FleetSessions(services);
        this.conversations = new FleetConversations(services);
    }

    @Override
    public String name() {
        return FleetSocket.TRANSPORT;
    }

    @Override
    public ChannelHandler webSocket(WsOpen open) {
        if (!open.path().equals(PATH)) return null;
        return new FleetSocket(services, open.connectionId(), config, runs);
    }

    @Override
    public boolean http(HttpExchange ex) {
        List<String> s = ex.segments();
        if (s.size() < 2 || s.size() > 3 || !s.get(0).equals("api")) return false;
        switch (s.get(1)) {
            case "sessions" -> sessions.serve(ex, s);
            case "conversations" -> conversations.serve(ex, s);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The project's error body. */
    static void detail(HttpExchange ex, int status, String detail) {
        ex.json(status, Json.object().put("detail", detail));
    }

    @Override
    public String toString() {
        return "FleetFormat[" + PATH + ", " + config + "]";
    }
}
