package io.runcast.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;

/**
 * The answer to a chat request: the run that streams the reply.
 *
 * @param run          the new run's id, {@code {conversation}.{turn}}
 * @param conversation the conversation (generated when the request named none)
 * @param turn         1 for a conversation's first message, then 2, 3 …
 * @param agent        the agent that answers
 */
public record ChatStarted(String run, String conversation, int turn, String agent) {
    public ObjectNode toJson() {
        return Json.object().put("run", run).put("conversation", conversation).put("turn", turn).put("agent", agent);
    }

    public static ChatStarted fromJson(JsonNode n) {
        return new ChatStarted(n.path("run").asText(), n.path("conversation").asText(), n.path("turn").asInt(),
                n.path("agent").asText());
    }
}
