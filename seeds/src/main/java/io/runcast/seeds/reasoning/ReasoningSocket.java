package io.runcast.seeds.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.chat.AgentInfo;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Subscription;
import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.ChatStarted;
import io.runcast.protocol.RuncastException;
import io.runcast.seeds.common.JsonSocket;
import io.runcast.seeds.common.TurnWatchers;
import io.runcast.transport.Services;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One seed-002 connection ({@code /ws/chat/{session_id}}): the session is a Runcast conversation, each
 * {@code chat} a turn of it (run {@code session_id.n}), streamed back as reasoning steps.
 * {@code interrupt} cancels the running turn through the run control; the stream then shows the
 * cancellation ({@code interrupted}, then {@code reasoning_complete}), so the reply never races the
 * run's last frames.
 */
final class ReasoningSocket extends JsonSocket implements TurnWatchers.Watcher {
    static final String TRANSPORT = "seed-002";
    private static final String PING = "{\"type\":\"ping\"}";

    private final String session;
    private final String agentName;
    private final Duration heartbeat;
    private final TurnWatchers watchers;
    /** The turns this connection follows, by run: whether each shows reasoning, and its step count. */
    private final Map<String, Turn> turns = new ConcurrentHashMap<>();
    /** The run of the latest chat; null before the first has started. */
    private volatile String current;
    private volatile boolean starting;
    private volatile boolean interruptWhenStarted;

    private static final class Turn {
        final boolean reasoning;
        /** Only touched by the hub's delivery of this run, one event at a time. */
        int iteration;
        String lastStep;

        Turn(boolean reasoning) {
            this.reasoning = reasoning;
        }
    }

    ReasoningSocket(Services services, String id, String session, String agentName, Duration heartbeat, TurnWatchers watchers) {
        super(services, id, TRANSPORT);
        this.session = session;
        this.agentName = agentName;
        this.heartbeat = heartbeat;
        this.watchers = watchers;
    }

    @Override
    protected void opened() {
        send(frame("connected", Json.object().put("session_id", session).put("agent_name", agentName)
                .put("message", "Connected to agent chat")));
        heartbeat(heartbeat, () -> PING);
        watchers.watch(session, this);
    }

    @Override
    protected void closed() {
        watchers.unwatch(session, this);
    }

    /**
     * A turn of this session started elsewhere. While this connection is starting a chat, the news is
     * of that very turn (a conversation runs one turn at a time): it is followed when the start answers,
     * with the reasoning choice the chat asked for.
     */
    @Override
    public void newTurn(String conversation, String run) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive() || starting || turns.containsKey(run)) return;
            turns.put(run, new Turn(true));
            current = run;
            subscribe(run, null, TypeFilter.ALL);
        });
    }

    @Override
    protected void badFrame(String text) {
        error("Invalid message format: not a JSON object");
    }

    @Override
    protected void message(JsonNode frame) {
        String type = frame.path("type").asText("");
        JsonNode payload = frame.path("payload");
        switch (type) {
            case "chat" -> chat(payload);
            case "ping" -> send(frame("pong", Json.object().set("timestamp", frame.path("timestamp").isMissingNode()
                    ? Json.MAPPER.getNodeFactory().numberNode(ReasoningSteps.seconds(Instant.now())) : frame.get("timestamp"))));
            case "pong" -> { } // an answer to our heartbeat
            case "interrupt" -> interrupt();
            default -> error(type.isEmpty() ? "Invalid message format: a message needs a \"type\" (chat, ping, interrupt)"
                    : "Unknown message type: " + type);
        }
    }

    private void chat(JsonNode payload) {
        JsonNode message = payload.path("message");
        if (!message.isTextual() || message.asText().isBlank()) {
            error("Message content is required");
            return;
        }
        JsonNode reasoning = payload.path("enable_reasoning");
        if (!reasoning.isMissingNode() && !reasoning.isNull() && !reasoning.isBoolean()) {
            error("enable_reasoning must be true or false");
            return;
        }
        boolean showReasoning = !reasoning.isBoolean() || reasoning.asBoolean();
        String asked = payload.path("agent_name").asText(agentName);
        ChatRequest request;
        try {
            request = new ChatRequest(message.asText(), runcastAgent(asked), session, null);
        } catch (RuncastException e) {
            error(e.getMessage());
            return;
        }
        starting = true;
        services.chats().start(request, id).whenComplete((started, failure) -> {
            if (failure != null) {
                starting = false;
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                error(cause.getMessage());
                interruptWhenStarted = false;
                return;
            }
            // on the event loop, like interrupt and the run feed's news: an interrupt sent while the chat was
            // starting is then either seen by follow or finds the turn followed; and until the turn is
            // followed as asked, the run feed's news of it is ignored
            channel.eventLoop().execute(() -> {
                follow(started, showReasoning);
                starting = false;
            });
        });
    }

    private void follow(ChatStarted started, boolean showReasoning) {
        turns.put(started.run(), new Turn(showReasoning));
        current = started.run();
        if (!channel.isActive()) return; // closed while the chat was being started
        subscribe(started.run(), null, TypeFilter.ALL);
        if (interruptWhenStarted) {
            interruptWhenStarted = false;
            interrupt();
        }
    }

    /**
     * The project's agents have names of their own ("researcher" …): a name that is one of Runcast's
     * agents picks it, any other is answered by the default agent.
     */
    private String runcastAgent(String asked) {
        for (AgentInfo a : services.chats().agents()) {
            if (a.name().equals(asked)) return asked;
        }
        return null;
    }

    private void interrupt() {
        String run = current;
        if (run == null || !subscribed(run)) {
            if (starting) interruptWhenStarted = true;
            else error("Nothing to interrupt: no chat is running in this session");
            return;
        }
        services.control().cancel(run, id, "interrupted by the client").whenComplete((ev, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                error("Nothing to interrupt: " + cause.getMessage());
            }
        });
    }

    // ---- the run's events ----

    @Override
    public void event(Subscription subscription, EncodedEvent encoded) {
        Turn turn = turns.get(subscription.run());
        if (turn == null) return;
        Event e = encoded.event();
        switch (e.type()) {
            case EventTypes.RUN_STARTED -> {
                ObjectNode d = e.dataNode();
                send(frame("reasoning_start", Json.object().put("session_id", session).put("workflow_id", e.run())
                        .put("agent", d.path("agent").asText(agentName)).put("message", d.path("message").asText(""))
                        .put("enable_reasoning", turn.reasoning)));
                return;
            }
            case EventTypes.ANSWER_FINAL -> {
                if (!turn.reasoning) send(frame("response", Json.object().put("content", e.dataNode().path("text").asText(""))));
            }
            case EventTypes.RUN_FAILED -> {
                if (!turn.reasoning) send(frame("error", Json.object().put("message", "the run failed: " + e.dataNode().path("reason").asText())));
            }
            case EventTypes.RUN_CANCELLED -> {
                if (id.equals(e.dataNode().path("by").asText())) {
                    send(frame("interrupted", Json.object().put("message", "Reasoning interrupted")));
                }
            }
            default -> { }
        }
        if (turn.reasoning) step(turn, encoded);
        if (e.isTerminal()) {
            turns.remove(e.run());
            send(frame("reasoning_complete", Json.object().put("session_id", session).put("workflow_id", e.run())
                    .put("status", e.type().substring("run.".length()))));
        }
    }

    private void step(Turn turn, EncodedEvent encoded) {
        ReasoningSteps.Rule rule = ReasoningSteps.rule(encoded.event().type());
        if (rule == null) return;
        // a thought after anything but a thought opens the next iteration, as in a ReAct loop
        if (turn.iteration == 0 || (rule.step().equals(ReasoningSteps.THOUGHT) && !ReasoningSteps.THOUGHT.equals(turn.lastStep))) {
            turn.iteration++;
        }
        turn.lastStep = rule.step();
        send(ReasoningSteps.frame(turn.iteration, encoded.encoded(ReasoningSteps.STEP)));
    }

    private void error(String message) {
        send(frame("error", Json.object().put("message", message)));
    }

    private static ObjectNode frame(String type, ObjectNode data) {
        ObjectNode f = Json.object().put("type", type);
        f.set("data", data);
        return f;
    }
}
