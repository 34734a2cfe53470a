package io.runcast.chat;

import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.ChatStarted;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Starts chat runs: a person's message becomes a new run whose events are the agent's reply. The
 * transports call it (the WebSocket {@code chat} op, {@code POST /api/chats}, and later the seed and
 * agent-UI formats); an implementation lives outside the server (the agents module) and is installed
 * into the server's {@link ChatDesk}.
 */
public interface ChatService {
    /**
     * Starts one turn. Completes once the run is registered for control, so a cancel sent from then on
     * is never lost; the run's events (from {@code run.started} to exactly one terminal event) follow
     * asynchronously. Fails with a {@link io.runcast.protocol.RuncastException}: {@code not_found} for
     * an unknown agent, {@code conversation_busy} while the conversation's previous turn runs,
     * {@code bad_request} / {@code too_large} for a message the agent cannot take, {@code unavailable}
     * when no agent can run. Never blocks for the reply itself.
     *
     * @param by who asked (a connection id, an HTTP peer), recorded in {@code run.started}
     */
    CompletionStage<ChatStarted> start(ChatRequest request, String by);

    /** The agents that can answer, the default first. */
    List<AgentInfo> agents();
}
