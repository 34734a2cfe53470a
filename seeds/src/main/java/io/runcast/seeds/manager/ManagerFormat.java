package io.runcast.seeds.manager;

import io.netty.channel.ChannelHandler;
import io.runcast.seeds.common.TurnWatchers;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.Endpoint;
import io.runcast.transport.endpoint.HttpExchange;
import io.runcast.transport.endpoint.WsOpen;
import java.util.regex.Pattern;

/**
 * Seed 003, the manager workflow (docs/compat.md): the WebSocket {@code /api/chat/ws} and the REST
 * routes under {@code /api/chat/sessions}. A session is a conversation of chat runs; its message starts
 * a chat run through the server's chat service, whose events reach the connections watching that
 * session as 003 frames. Install with {@code server.endpoints().add(new ManagerFormat(server.services()))}.
 */
public final class ManagerFormat implements Endpoint {
    /** The transport name of its connections, shown in a run's {@code watched_by}. */
    public static final String NAME = "seed-003";
    public static final String PATH = "/api/chat/ws";
    /** A session id is a conversation id without dots (its turns are {@code S.1}, {@code S.2} …). */
    static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_:-]{1,96}");

    private final Services services;
    private final ManagerSessions sessions;
    private final TurnWatchers watchers;
    private final SessionRoutes routes;

    public ManagerFormat(Services services) {
        this.services = services;
        this.sessions = new ManagerSessions(services.engine(), services.feed());
        this.watchers = new TurnWatchers(services.feed());
        this.routes = new SessionRoutes(services, sessions);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChannelHandler webSocket(WsOpen open) {
        if (!open.path().equals(PATH)) return null;
        String session = open.query("session_id");
        return new ManagerSocket(this, open.connectionId(), session == null || session.isEmpty() ? null : session);
    }

    @Override
    public boolean http(HttpExchange exchange) {
        return routes.handle(exchange);
    }

    Services services() {
        return services;
    }

    ManagerSessions sessions() {
        return sessions;
    }

    TurnWatchers watchers() {
        return watchers;
    }
}
