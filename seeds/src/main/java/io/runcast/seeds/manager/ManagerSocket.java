package io.runcast.seeds.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Subscription;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.seeds.common.JsonSocket;
import io.runcast.seeds.common.TurnWatchers;
import io.runcast.store.RunInfo;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection to {@code /api/chat/ws}: the greeting, the client's frames, and the frames of the
 * sessions it watches — only those. A connection watches a session once it names it: with
 * {@code ?session_id=} on the URL, {@code subscribe_to_session}, {@code subscribe_to_agent} with a
 * {@code session_id}, or the {@code chat_message} frame the project's client sends after its REST call.
 * Then it gets each of the session's turns from the turn's first event.
 *
 * <p>Threading: client frames and subscriptions on the event loop; store reads on the blocking pool;
 * {@link #event} on hub threads (it only reads the volatile filters and queues bytes).
 */
final class ManagerSocket extends JsonSocket implements TurnWatchers.Watcher {
    /** Frames about one agent's work, which {@code subscribe_to_agent} narrows to the chosen agents. */
    private static final Set<String> AGENT_FRAMES = Set.of("manager_thinking", "agent_substep", "brain_allocation", "error_recovery");

    private final ManagerFormat format;
    private final String initialSession;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    /**
     * Runs of watched sessions this connection has followed, ended ones included, so that a later
     * {@code chat_message} never replays a turn it already showed (event loop only).
     */
    private final Set<String> followed = new java.util.HashSet<>();
    private volatile Set<String> agents = Set.of();
    private volatile Set<String> types = Set.of();

    ManagerSocket(ManagerFormat format, String id, String initialSession) {
        super(format.services(), id, ManagerFormat.NAME);
        this.format = format;
        this.initialSession = initialSession;
    }

    @Override
    protected void opened() {
        ObjectNode hello = Json.object().put("type", "connection_established").put("connection_id", id)
                .put("timestamp", Instant.now().toString());
        ArrayNode features = hello.putArray("streaming_features");
        ManagerFrames.FEATURES.forEach(features::add);
        send(hello);
        if (initialSession != null) watch(initialSession, false, null);
    }

    @Override
    protected void badFrame(String text) {
        send(ManagerFrames.error(null, ErrorCode.BAD_JSON.wire(), "a frame must be a JSON object with a type"));
    }

    @Override
    protected void message(JsonNode frame) {
        if (!frame.isObject() || !frame.path("type").isTextual()) {
            send(ManagerFrames.error(null, ErrorCode.BAD_REQUEST.wire(), "a frame must be a JSON object with a string type"));
            return;
        }
        String type = frame.get("type").asText();
        String session = frame.path("session_id").isTextual() ? frame.get("session_id").asText() : null;
        try {
            switch (type) {
                case "ping" -> send(Json.object().put("type", "pong").put("timestamp", Instant.now().toString()));
                case "subscribe_to_session" -> {
                    Set<String> t = typesOf(frame);
                    watch(required(session), false, () -> {
                        if (t != null) types = t;
                        send(ManagerFrames.reply("session_subscribed", session, filters()));
                    });
                }
                case "unsubscribe_from_session" -> {
                    unwatch(required(session));
                    send(ManagerFrames.reply("session_unsubscribed", session, filters()));
                }
                // the project's client sends it after its REST call, which already started the run
                case "chat_message" -> watch(required(session), true, null);
                case "typing_indicator" -> { } // the project's client sends it; nothing to do with it here
                case "subscribe_to_agent" -> subscribeToAgent(frame, session);
                case "unsubscribe_from_agent" -> {
                    Set<String> left = new TreeSet<>(agents);
                    left.removeAll(agentNames(frame));
                    agents = Set.copyOf(left);
                    send(ManagerFrames.reply("agent_subscription_confirmed", session, filters()));
                }
                case "set_message_filter" -> {
                    Set<String> t = typesOf(frame);
                    types = t == null ? Set.of() : t;
                    send(ManagerFrames.reply("message_filter_updated", session, filters()));
                }
                case "user_decision_response" -> decide(frame, required(session));
                case "request_workflow_status" -> status(required(session));
                default -> send(ManagerFrames.error(session, ErrorCode.UNKNOWN_OP.wire(), "unknown message type '" + type
                        + "'; this endpoint takes ping, subscribe_to_session, unsubscribe_from_session, chat_message, "
                        + "subscribe_to_agent, unsubscribe_from_agent, set_message_filter, user_decision_response, request_workflow_status"));
            }
        } catch (RuncastException e) {
            send(ManagerFrames.error(session, e.code().wire(), e.getMessage()));
        }
    }

    // ---- watching sessions ------------------------------------------------------------------

    /**
     * Watches a session: registers with the watchers first (so no new turn falls between), then follows
     * its current turn when it is still running — or, for {@code chat_message}, whatever its latest
     * turn is: the client has just posted it and wants to see it, however quickly it ended.
     */
    private void watch(String session, boolean latestAnyway, Runnable then) {
        format.services().blocking().execute(() -> {
            try {
                if (format.sessions().find(session).isEmpty()) {
                    send(ManagerFrames.error(session, ErrorCode.NOT_FOUND.wire(), "Chat session not found: " + session));
                    return;
                }
                boolean fresh = sessions.add(session);
                format.watchers().watch(session, this);
                int turn = format.sessions().latestTurn(session);
                if (turn > 0 && (fresh || latestAnyway)) {
                    String run = ManagerSessions.turnRun(session, turn);
                    boolean open = format.services().engine().info(run).map(RunInfo::status).map(s -> !s.isClosed()).orElse(true);
                    if (open || latestAnyway) follow(session, run);
                }
                if (then != null) channel.eventLoop().execute(then);
            } catch (RuntimeException e) {
                send(ManagerFrames.error(session, ErrorCode.UNAVAILABLE.wire(), "could not read the session: " + e.getMessage()));
            }
        });
    }

    @Override
    public void newTurn(String session, String run) {
        follow(session, run);
    }

    /** A run of a watched session to follow from its first event; once per run. Any thread. */
    void follow(String session, String run) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive() || !sessions.contains(session) || followed.contains(run)) return;
            followed.add(run);
            subscribe(run, null, TypeFilter.ALL);
        });
    }

    private void unwatch(String session) {
        sessions.remove(session);
        format.watchers().unwatch(session, this);
        followed.removeIf(run -> {
            if (!ManagerFrames.sessionOf(run).equals(session)) return false;
            unsubscribe(run);
            return true;
        });
    }

    @Override
    protected void closed() {
        sessions.forEach(s -> format.watchers().unwatch(s, this));
    }

    // ---- the rest of the client's frames ----------------------------------------------------

    private void subscribeToAgent(JsonNode frame, String session) {
        Set<String> named = agentNames(frame);
        if (named.isEmpty()) throw bad("subscribe_to_agent needs agent_name (a string) or agent_names (strings)");
        Set<String> t = typesOf(frame);
        Runnable apply = () -> {
            Set<String> all = new TreeSet<>(agents);
            all.addAll(named);
            agents = Set.copyOf(all);
            if (t != null) types = t;
            send(ManagerFrames.reply("agent_subscription_confirmed", session, filters()));
        };
        if (session != null) watch(session, false, apply);
        else apply.run();
    }

    private void decide(JsonNode frame, String session) {
        JsonNode decision = frame.get("decision_id");
        JsonNode response = frame.get("response");
        if (decision == null || !decision.isTextual() || decision.asText().isEmpty()) throw bad("decision_id (a string) is required");
        if (response == null || response.isNull()) throw bad("response is required");
        format.services().blocking().execute(() -> {
            int turn;
            try {
                turn = format.sessions().latestTurn(session);
            } catch (RuntimeException e) {
                send(ManagerFrames.error(session, ErrorCode.UNAVAILABLE.wire(), e.getMessage()));
                return;
            }
            if (turn == 0) {
                send(ManagerFrames.error(session, ErrorCode.DECISION_NOT_FOUND.wire(), "session " + session + " has no workflow waiting for a decision"));
                return;
            }
            String run = ManagerSessions.turnRun(session, turn);
            format.services().control().decide(run, decision.asText(), response, id).whenComplete((resolved, failure) -> {
                if (failure != null) {
                    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    String code = t instanceof RuncastException r ? r.code().wire() : ErrorCode.INTERNAL.wire();
                    send(ManagerFrames.error(session, code, t.getMessage()));
                    return;
                }
                ObjectNode d = Json.object().put("decision_id", decision.asText()).put("status", "accepted").put("run", run);
                d.set("response", response);
                send(ManagerFrames.reply("decision_response_acknowledged", session, d));
            });
        });
    }

    private void status(String session) {
        format.services().blocking().execute(() -> {
            try {
                if (format.sessions().find(session).isEmpty()) {
                    send(ManagerFrames.error(session, ErrorCode.NOT_FOUND.wire(), "Chat session not found: " + session));
                    return;
                }
                send(ManagerFrames.reply("workflow_status", session, format.sessions().status(session)));
            } catch (RuntimeException e) {
                send(ManagerFrames.error(session, ErrorCode.UNAVAILABLE.wire(), "could not read the session: " + e.getMessage()));
            }
        });
    }

    // ---- events -----------------------------------------------------------------------------

    @Override
    public void event(Subscription subscription, EncodedEvent event) {
        Set<String> onlyTypes = types;
        Set<String> onlyAgents = agents;
        String agent = event.event().agent();
        for (ManagerFrames.Frame f : ManagerFrames.framesOf(event.event().type())) {
            if (!onlyTypes.isEmpty() && !onlyTypes.contains(f.type())) continue;
            if (!onlyAgents.isEmpty() && AGENT_FRAMES.contains(f.type()) && (agent == null || !onlyAgents.contains(agent))) continue;
            byte[] bytes = event.encoded(f); // the same bytes for every 003 watcher of this event
            if (bytes.length > 0) send(bytes);
        }
    }

    // ---- parsing ----------------------------------------------------------------------------

    private ObjectNode filters() {
        ObjectNode o = Json.object();
        ArrayNode a = o.putArray("agent_names");
        new TreeSet<>(agents).forEach(a::add);
        ArrayNode t = o.putArray("message_types");
        new TreeSet<>(types).forEach(t::add);
        ArrayNode s = o.putArray("sessions");
        new TreeSet<>(sessions).forEach(s::add);
        return o;
    }

    private static String required(String session) {
        if (session == null) throw bad("session_id (a string) is required");
        if (!ManagerFormat.SESSION_ID.matcher(session).matches()) throw bad("session_id must be 1..96 characters of [A-Za-z0-9_:-]");
        return session;
    }

    private static Set<String> agentNames(JsonNode frame) {
        Set<String> out = new TreeSet<>();
        JsonNode one = frame.get("agent_name");
        if (one != null && !one.isNull()) {
            if (!one.isTextual() || one.asText().isEmpty()) throw bad("agent_name must be a non-empty string");
            out.add(one.asText());
        }
        JsonNode many = frame.get("agent_names");
        if (many != null && !many.isNull()) {
            if (!many.isArray()) throw bad("agent_names must be an array of strings");
            for (JsonNode n : many) {
                if (!n.isTextual() || n.asText().isEmpty()) throw bad("agent_names must be an array of strings");
                out.add(n.asText());
            }
        }
        return out;
    }

    /** The frame's {@code message_types}: null when absent, empty (= every type) for an empty array. */
    private static Set<String> typesOf(JsonNode frame) {
        JsonNode n = frame.get("message_types");
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw bad("message_types must be an array of frame types");
        Set<String> out = new TreeSet<>();
        for (JsonNode t : n) {
            if (!t.isTextual() || !ManagerFrames.TYPES.contains(t.asText())) {
                throw bad("message_types: " + t + " is not one of " + String.join(", ", ManagerFrames.TYPES));
            }
            out.add(t.asText());
        }
        return Set.copyOf(out);
    }

    private static RuncastException bad(String message) {
        return new RuncastException(ErrorCode.BAD_REQUEST, message);
    }
}
