package io.runcast.seeds.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Subscription;
import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.CloseCode;
import io.runcast.protocol.RuncastException;
import io.runcast.seeds.common.JsonSocket;
import io.runcast.transport.Services;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One seed-004 socket: one chat request, one run. The first frame must be the request (else
 * {@code error} and close, also when none comes within the handshake timeout); then {@code connected},
 * the run's events, and {@code done} — after which nothing is sent, and the socket stays open until the
 * client closes it (a server close would make {@code reconnecting-websocket} ask again).
 * {@code {"type":"cancel"}} cancels the run even when the client closes right after sending it.
 */
final class FleetSocket extends JsonSocket {
    static final String TRANSPORT = "seed-004";
    static final Set<String> EFFORTS = Set.of("minimal", "low", "medium", "high", "maximal");

    private enum State { AWAITING_REQUEST, STARTING, STREAMING, DONE }

    private final FleetConfig config;
    private final FleetRuns runs;
    /** Guarded by {@code this}: every frame goes out under it, so nothing can follow {@code done}. */
    private State state = State.AWAITING_REQUEST;
    private volatile String run;
    private boolean cancelWhenStarted; // guarded by this
    private ScheduledFuture<?> handshake;
    private volatile ScheduledFuture<?> beat;
    // the rest is touched only by the hub's delivery of this socket's one run, one event at a time
    private boolean completedSent;
    private final StringBuilder answer = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();

    FleetSocket(Services services, String id, FleetConfig config, FleetRuns runs) {
        super(services, id, TRANSPORT);
        this.config = config;
        this.runs = runs;
    }

    @Override
    protected void opened() {
        handshake = channel.eventLoop().schedule(() -> refuse("no chat request within " + config.handshakeTimeout().toSeconds()
                + " s", CloseCode.HANDSHAKE_TIMEOUT), config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void closed() {
        if (handshake != null) handshake.cancel(false);
        if (beat != null) beat.cancel(false);
    }

    @Override
    protected void badFrame(String text) {
        if (awaiting()) refuse("the first message must be a JSON chat request {message, conversation_id, stream}", CloseCode.PROTOCOL_VIOLATION);
    }

    @Override
    protected void message(JsonNode frame) {
        if (awaiting()) {
            request(frame);
        } else if ("cancel".equals(frame.path("type").asText())) {
            cancel();
        }
        // anything else after the request is not part of this protocol and changes nothing
    }

    private synchronized boolean awaiting() {
        return state == State.AWAITING_REQUEST;
    }

    private void request(JsonNode frame) {
        ChatRequest request;
        try {
            request = parse(frame);
        } catch (RuncastException e) {
            refuse(e.getMessage(), CloseCode.PROTOCOL_VIOLATION);
            return;
        }
        synchronized (this) {
            if (state != State.AWAITING_REQUEST) return;
            state = State.STARTING;
        }
        handshake.cancel(false);
        services.blocking().execute(() -> runs.startOrJoin(request, id).whenComplete((follow, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                emit(error(cause.getMessage()));
                done(null, null);
                return;
            }
            follow(follow.started().run(), follow.started().conversation());
        }));
    }

    /** The project's ChatRequest: {@code message} required; {@code conversation_id}, {@code stream}, {@code reasoning_effort} optional. */
    static ChatRequest parse(JsonNode frame) {
        if (!frame.isObject()) throw bad("the first message must be a chat request object {message, conversation_id, stream}");
        if (frame.has("type")) throw bad("the first message must be a chat request, not a '" + frame.path("type").asText() + "' message");
        JsonNode message = frame.path("message");
        if (!message.isTextual() || message.asText().isBlank()) throw bad("message is required and must be a non-empty string");
        JsonNode conversation = frame.path("conversation_id");
        if (!conversation.isMissingNode() && !conversation.isNull() && !conversation.isTextual()) throw bad("conversation_id must be a string");
        JsonNode stream = frame.path("stream");
        if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) throw bad("stream must be true or false");
        ObjectNode options = Json.object();
        JsonNode effort = frame.path("reasoning_effort");
        if (!effort.isMissingNode() && !effort.isNull()) {
            if (!effort.isTextual() || !EFFORTS.contains(effort.asText())) throw bad("reasoning_effort must be one of " + EFFORTS);
            options.put("reasoning_effort", effort.asText());
        }
        return new ChatRequest(message.asText(), null, conversation.isTextual() ? conversation.asText() : null, options);
    }

    private void follow(String run, String conversation) {
        boolean cancelNow;
        synchronized (this) {
            this.run = run;
            cancelNow = cancelWhenStarted;
        }
        ObjectNode connected = frame("connected", run);
        connected.put("message", "Connected");
        connected.putObject("data").put("conversation_id", conversation).put("workflow_id", run);
        synchronized (this) {
            if (state != State.STARTING) return;
            state = State.STREAMING;
            send(connected);
        }
        if (cancelNow) cancel();
        if (!channel.isActive()) return; // closed while the run was being started: nothing to stream to
        long every = config.heartbeat().toMillis();
        beat = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (channel.isActive()) emit(frame("heartbeat", run));
            else if (beat != null) beat.cancel(false);
        }, every, every, TimeUnit.MILLISECONDS);
        subscribe(run, null, TypeFilter.ALL);
    }

    private void cancel() {
        String r;
        synchronized (this) {
            r = run;
            if (r == null) {
                cancelWhenStarted = true; // the run is being started: cancel it as soon as it is
                return;
            }
        }
        // a run that already ended has nothing to cancel; the stream has said so
        services.control().cancel(r, id, "cancelled by the client");
    }

    // ---- the run's events ----

    @Override
    public void event(Subscription subscription, EncodedEvent encoded) {
        Event e = encoded.event();
        if (e.isTerminal()) {
            endReasoning(e);
            ObjectNode summary = e.dataNode().has("summary") ? (ObjectNode) e.dataNode().get("summary") : null;
            switch (e.type()) {
                case EventTypes.RUN_COMPLETED -> {
                    if (!completedSent) {
                        completedSent = true;
                        ObjectNode f = frame(FleetEvents.RESPONSE_COMPLETED, e.run()).put("message", answer.toString());
                        emit(f);
                    }
                }
                case EventTypes.RUN_CANCELLED -> emit(frame("cancelled", e.run()).put("message", "Cancelled"));
                default -> emit(error("the workflow failed: " + e.dataNode().path("reason").asText("unknown")).put("workflow_id", e.run()));
            }
            done(e.run(), summary);
            return;
        }
        FleetEvents.Rule rule = FleetEvents.ruleFor(e);
        if (rule.type().equals(FleetEvents.REASONING_DELTA)) {
            reasoning.append(e.dataNode().path("content").asText("")).append('\n');
        } else {
            endReasoning(e);
        }
        if (rule.type().equals(FleetEvents.RESPONSE_COMPLETED)) {
            if (completedSent) return; // exactly one per run
            completedSent = true;
        } else if (rule.type().equals(FleetEvents.RESPONSE_DELTA)) {
            answer.append(e.dataNode().path("text").asText(""));
        }
        emit(encoded.encoded(FleetEvents.FRAME));
    }

    /** Closes a stretch of reasoning with the whole of it, before whatever comes next. */
    private void endReasoning(Event next) {
        if (reasoning.length() == 0) return;
        ObjectNode f = frame(FleetEvents.REASONING_COMPLETED, next.run()).put("reasoning", reasoning.toString());
        reasoning.setLength(0);
        emit(f);
    }

    private void done(String workflow, ObjectNode summary) {
        ObjectNode f = frame("done", workflow);
        if (summary != null) f.putObject("data").set("summary", summary);
        synchronized (this) {
            if (state == State.DONE) return;
            send(f);
            state = State.DONE;
        }
        if (beat != null) beat.cancel(false);
    }

    /** Sends unless {@code done} went out already. */
    private synchronized void emit(Object frame) {
        if (state == State.DONE) return;
        if (frame instanceof byte[] b) send(b);
        else send(frame);
    }

    /** The first message was not a chat request: say why and close. */
    private void refuse(String why, CloseCode code) {
        synchronized (this) {
            if (state != State.AWAITING_REQUEST) return;
            state = State.DONE;
            send(error(why));
        }
        if (handshake != null) handshake.cancel(false);
        close(code, why.length() > 100 ? why.substring(0, 100) : why);
    }

    private static ObjectNode error(String message) {
        return Json.object().put("type", "error").put("error", message).put("timestamp", FleetEvents.iso(Instant.now()));
    }

    private static ObjectNode frame(String type, String workflow) {
        ObjectNode f = Json.object().put("type", type);
        if (workflow != null) f.put("workflow_id", workflow);
        f.put("timestamp", FleetEvents.iso(Instant.now()));
        return f;
    }

    private static RuncastException bad(String message) {
        return new RuncastException(io.runcast.protocol.ErrorCode.BAD_REQUEST, message);
    }
}
