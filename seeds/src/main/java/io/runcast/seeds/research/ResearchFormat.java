package io.runcast.seeds.research;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.runcast.event.Event;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.store.History;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.Endpoint;
import io.runcast.transport.endpoint.HttpExchange;
import io.runcast.transport.endpoint.WsOpen;
import java.time.Duration;
import java.util.List;

/**
 * Seed 001, research plans: the WebSocket {@code /api/v1/streaming/ws/{client_id}} (optional
 * {@code ?plan_id=}) and {@code GET /api/v1/streaming/clients}, {@code …/plans/{plan_id}/subscribers},
 * {@code …/plans/{plan_id}/history}. Install with
 * {@code server.endpoints().add(new ResearchFormat(server.services()))}.
 */
public final class ResearchFormat implements Endpoint {
    public static final String NAME = "seed-001";
    static final String WS_PREFIX = "/api/v1/streaming/ws/";
    /** The project's {@code StreamingManager(ping_interval=30)}. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
    private static final int PAGE = 1000;

    private final Services services;
    private final Duration heartbeat;
    private final ResearchClients clients = new ResearchClients();

    public ResearchFormat(Services services) {
        this(services, DEFAULT_HEARTBEAT);
    }

    /** @param heartbeat how often each connection gets a {@code ping} event (tests shorten it) */
    public ResearchFormat(Services services, Duration heartbeat) {
        if (heartbeat.isNegative() || heartbeat.isZero()) throw new IllegalArgumentException("heartbeat must be positive");
        this.services = services;
        this.heartbeat = heartbeat;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChannelHandler webSocket(WsOpen open) {
        if (!open.path().startsWith(WS_PREFIX)) return null;
        String clientId = open.path().substring(WS_PREFIX.length());
        if (clientId.isEmpty() || clientId.contains("/")) return null;
        String plan = open.query("plan_id");
        return new ResearchSocket(services, open.connectionId(), clientId, plan == null || plan.isEmpty() ? null : plan,
                heartbeat, clients);
    }

    @Override
    public boolean http(HttpExchange ex) {
        List<String> s = ex.segments();
        if (s.size() < 4 || !s.get(0).equals("api") || !s.get(1).equals("v1") || !s.get(2).equals("streaming")) return false;
        boolean clientsRoute = s.size() == 4 && s.get(3).equals("clients");
        boolean planRoute = s.size() == 6 && s.get(3).equals("plans") && (s.get(5).equals("subscribers") || s.get(5).equals("history"));
        if (!clientsRoute && !planRoute) return false;
        if (!HttpMethod.GET.equals(ex.method())) {
            ex.error(ErrorCode.BAD_REQUEST, "only GET is served here");
            return true;
        }
        try {
            if (clientsRoute) {
                List<String> ids = clients.clientIds();
                ObjectNode body = Json.object().put("client_count", ids.size());
                body.set("clients", Json.MAPPER.valueToTree(ids));
                ex.json(200, body);
            } else {
                String plan = s.get(4);
                services.engine().checkRun(plan);
                if (s.get(5).equals("subscribers")) {
                    ex.json(200, Json.object().put("plan_id", plan).put("subscriber_count", clients.subscribers(plan)));
                } else {
                    ex.json(200, history(plan));
                }
            }
        } catch (RuntimeException e) {
            ex.error(e);
        }
        return true;
    }

    /** The plan's retained events as 001 frames, in order; the types 001 is not sent are left out. */
    private ObjectNode history(String plan) {
        ArrayNode events = Json.MAPPER.createArrayNode();
        long after = 0;
        while (true) {
            History h = services.engine().read(plan, after, PAGE);
            if (h.events().isEmpty()) break;
            for (Event e : h.events()) {
                ObjectNode f = ResearchFrames.frame(e);
                if (f != null) events.add(f);
                after = e.seq();
            }
            if (after >= h.head()) break;
        }
        ObjectNode body = Json.object().put("plan_id", plan).put("event_count", events.size());
        body.set("events", events);
        return body;
    }
}
