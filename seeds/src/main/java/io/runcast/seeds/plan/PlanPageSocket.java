package io.runcast.seeds.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Subscription;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.seeds.common.JsonSocket;
import io.runcast.store.RunInfo;
import io.runcast.transport.Services;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One plan page connection. A {@code subscribe_plan} is answered with {@code subscription_confirmed}
 * every time it is sent, but a plan is subscribed at most once per connection, so the page's client —
 * which sends it twice after a reconnect — still sees each event once. Like the project's own server,
 * a subscription starts at the plan's present: the page loads what already happened over REST, and
 * its client has no position to resume from, so replaying history would show old messages again.
 */
final class PlanPageSocket extends JsonSocket {
    /** Plans asked for on this connection (subscribed, or waiting for their head to be read). */
    private final Set<String> plans = ConcurrentHashMap.newKeySet();

    PlanPageSocket(Services services, String id) {
        super(services, id, PlanPageFormat.NAME);
    }

    @Override
    protected void opened() {
        // the project's server says nothing until the page subscribes
    }

    @Override
    protected void message(JsonNode frame) {
        if (!frame.isObject()) {
            send(PlanFrames.error(ErrorCode.BAD_REQUEST, "a message must be a JSON object with a type", null));
            return;
        }
        String type = frame.path("type").asText("");
        JsonNode planNode = frame.get("plan_id");
        String plan = planNode != null && planNode.isTextual() ? planNode.asText() : null;
        switch (type) {
            case "subscribe_plan" -> {
                if (valid(type, plan)) subscribePlan(plan);
            }
            case "unsubscribe_plan" -> {
                // quiet, as in the project: the page unsubscribes on leaving whether or not it subscribed
                if (valid(type, plan) && plans.remove(plan)) unsubscribe(plan);
            }
            default -> send(PlanFrames.error(ErrorCode.UNKNOWN_OP,
                    "unknown message type '" + type + "'; send subscribe_plan or unsubscribe_plan", plan));
        }
    }

    @Override
    protected void badFrame(String text) {
        send(PlanFrames.error(ErrorCode.BAD_JSON, "the message is not valid JSON", null));
    }

    private boolean valid(String type, String plan) {
        if (plan == null || plan.isEmpty()) {
            send(PlanFrames.error(ErrorCode.BAD_REQUEST, type + " needs a plan_id (a string)", null));
            return false;
        }
        try {
            services.engine().checkRun(plan);
            return true;
        } catch (RuncastException e) {
            send(PlanFrames.error(e.code(), e.getMessage(), plan));
            return false;
        }
    }

    private void subscribePlan(String plan) {
        if (!plans.contains(plan) && plans.size() >= services.config().maxSubscriptions()) {
            send(PlanFrames.error(ErrorCode.LIMIT_EXCEEDED,
                    "at most " + services.config().maxSubscriptions() + " plans per connection", plan));
            return;
        }
        send(PlanFrames.confirmed(plan));
        if (!plans.add(plan)) return; // asked again: one subscription, so each event arrives once
        // The plan's present is read off the event loop (the store may block), then the subscription is
        // made on it, after that head: events committed meanwhile are replayed, so nothing falls between.
        services.blocking().execute(() -> {
            long head;
            try {
                head = services.engine().info(plan).map(RunInfo::head).orElse(0L);
            } catch (RuntimeException e) {
                channel.eventLoop().execute(() -> {
                    plans.remove(plan);
                    send(PlanFrames.error(ErrorCode.UNAVAILABLE, "the plan could not be read; subscribe again", plan));
                });
                return;
            }
            channel.eventLoop().execute(() -> {
                if (plans.contains(plan) && channel.isActive()) subscribe(plan, head, TypeFilter.ALL);
            });
        });
    }

    @Override
    public void event(Subscription subscription, EncodedEvent event) {
        byte[] frame = event.encoded(PlanFrames.FORMAT);
        if (frame.length > 0) send(frame);
    }

    @Override
    public void failed(Subscription subscription, RuncastException error) {
        super.failed(subscription, error);
        plans.remove(subscription.run());
        send(PlanFrames.error(error.code(), error.getMessage(), subscription.run()));
    }
}
