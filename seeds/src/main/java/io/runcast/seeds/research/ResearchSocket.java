package io.runcast.seeds.research;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Subscription;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.seeds.common.JsonSocket;
import io.runcast.transport.Services;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One research client's connection. On open: the welcome ping, then — with {@code ?plan_id=} — that
 * plan's history and live events. {@code subscribe} does the same for any plan (history first, as the
 * project's manager replays it); subscribing again to a plan this connection already follows changes
 * nothing, so no event arrives twice. A plan stays subscribed after it ends, until {@code unsubscribe},
 * as in the project (the REST subscriber count says so).
 */
final class ResearchSocket extends JsonSocket {
    private final String clientId;
    private final String initialPlan;
    private final Duration heartbeat;
    private final ResearchClients clients;
    /** The plans this client follows (what the REST routes count), including ended ones. */
    final Set<String> plans = ConcurrentHashMap.newKeySet();

    ResearchSocket(Services services, String id, String clientId, String initialPlan, Duration heartbeat,
                   ResearchClients clients) {
        super(services, id, ResearchFormat.NAME);
        this.clientId = clientId;
        this.initialPlan = initialPlan;
        this.heartbeat = heartbeat;
        this.clients = clients;
    }

    String clientId() {
        return clientId;
    }

    @Override
    protected void opened() {
        clients.add(id, this);
        send(ResearchFrames.welcome());
        if (initialPlan != null) follow(initialPlan);
        heartbeat(heartbeat, ResearchFrames::heartbeat);
    }

    @Override
    protected void closed() {
        clients.remove(id);
    }

    @Override
    protected void message(JsonNode frame) {
        if (!frame.isObject()) {
            send(ResearchFrames.error(ErrorCode.BAD_REQUEST, "a message must be a JSON object with an action", null));
            return;
        }
        String action = frame.path("action").asText("");
        JsonNode planNode = frame.get("plan_id");
        String plan = planNode != null && planNode.isTextual() && !planNode.asText().isEmpty() ? planNode.asText() : null;
        switch (action) {
            case "subscribe" -> {
                if (plan == null) send(ResearchFrames.error(ErrorCode.BAD_REQUEST, "subscribe needs a plan_id (a string)", null));
                else follow(plan);
            }
            case "unsubscribe" -> {
                // quiet, as in the project: leaving a plan one never joined changes nothing
                if (plan == null) send(ResearchFrames.error(ErrorCode.BAD_REQUEST, "unsubscribe needs a plan_id (a string)", null));
                else if (plans.remove(plan)) unsubscribe(plan);
            }
            case "ping" -> send(ResearchFrames.pong(frame.get("timestamp")));
            default -> send(ResearchFrames.error(ErrorCode.UNKNOWN_OP,
                    "unknown action '" + action + "'; send subscribe, unsubscribe or ping", plan));
        }
    }

    @Override
    protected void badFrame(String text) {
        send(ResearchFrames.error(ErrorCode.BAD_JSON, "the message is not valid JSON", null));
    }

    private void follow(String plan) {
        try {
            services.engine().checkRun(plan);
        } catch (RuncastException e) {
            send(ResearchFrames.error(e.code(), e.getMessage(), plan));
            return;
        }
        if (plans.contains(plan)) return;
        if (plans.size() >= services.config().maxSubscriptions()) {
            send(ResearchFrames.error(ErrorCode.LIMIT_EXCEEDED,
                    "at most " + services.config().maxSubscriptions() + " plans per connection", plan));
            return;
        }
        plans.add(plan);
        subscribe(plan, null, TypeFilter.ALL); // from the first retained event: the history, then live
    }

    @Override
    public void event(Subscription subscription, EncodedEvent event) {
        byte[] frame = event.encoded(ResearchFrames.FORMAT);
        if (frame.length > 0) send(frame);
    }

    @Override
    public void failed(Subscription subscription, RuncastException error) {
        super.failed(subscription, error);
        plans.remove(subscription.run());
        send(ResearchFrames.error(error.code(), error.getMessage(), subscription.run()));
    }
}
