package io.runcast.chats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One turn of a conversation, as its agent sees it.
 *
 * @param run          the turn's run id, {@code {conversation}.{turn}}
 * @param conversation the conversation id
 * @param turn         1, 2, 3 …
 * @param message      what the person wrote now
 * @param history      the conversation's earlier turns (user message, then the answer when there was one),
 *                     oldest first, at most {@link ChatConfig#historyTurns()} turns
 * @param options      the request's options (e.g. {@code fresh: true} bypasses tool caches)
 * @param route        the pipeline the router chose
 */
public record ChatTurn(String run, String conversation, int turn, String message, List<ChatMessage> history,
                       ObjectNode options, Route route) {
    public ChatTurn {
        history = List.copyOf(history);
        options = options.deepCopy();
    }

    /** True when this turn runs the light pipeline: answer directly, few iterations, few tool calls. */
    public boolean light() {
        return route.light();
    }

    /** The request asked for fresh results: tool caches are bypassed (and refreshed). */
    public boolean fresh() {
        return options.path("fresh").asBoolean(false);
    }
}
