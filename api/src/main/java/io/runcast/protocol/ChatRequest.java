package io.runcast.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A person's message that starts a chat run: the {@code chat} op over the WebSocket and the body of
 * {@code POST /api/chats} (docs/protocol.md, "Chat runs").
 *
 * @param message      what the person wrote; not blank
 * @param agent        the agent to answer, or null for the server's default
 * @param conversation the conversation this turn continues, or null to start a new one; its earlier
 *                     turns are the context. {@value #CONVERSATION_RULE}
 * @param options      agent options (e.g. {@code light}, {@code fresh}); an object, never null
 */
public record ChatRequest(String message, String agent, String conversation, ObjectNode options) {
    public static final String CONVERSATION_RULE = "a conversation id is 1..96 characters of [A-Za-z0-9_:-]";
    private static final Pattern CONVERSATION = Pattern.compile("[A-Za-z0-9_:-]{1,96}");
    private static final Pattern AGENT = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Set<String> FIELDS = Set.of("op", "id", "message", "agent", "conversation", "options");

    public ChatRequest {
        if (message == null || message.isBlank()) throw bad("message is required and must not be blank");
        if (agent != null && !AGENT.matcher(agent).matches()) throw bad("agent must be 1..64 characters of [A-Za-z0-9_.:-]");
        if (conversation != null && !CONVERSATION.matcher(conversation).matches()) throw bad(CONVERSATION_RULE);
        options = options == null ? Json.object() : options.deepCopy();
    }

    public static ChatRequest of(String message) {
        return new ChatRequest(message, null, null, null);
    }

    /**
     * Reads a {@code chat} frame or request body, refusing unknown fields and wrong types with
     * {@link ErrorCode#BAD_REQUEST} so a typo (say {@code "conversation_id"}) is not silently dropped.
     */
    public static ChatRequest parse(JsonNode node) {
        if (!(node instanceof ObjectNode o)) throw bad("a chat request must be a JSON object");
        var names = o.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!FIELDS.contains(f)) throw bad(f + " is not a chat field (message, agent, conversation, options)");
        }
        JsonNode opts = o.get("options");
        if (opts != null && !opts.isNull() && !opts.isObject()) throw bad("options must be a JSON object");
        return new ChatRequest(text(o, "message"), text(o, "agent"), text(o, "conversation"),
                opts instanceof ObjectNode on ? on : null);
    }

    /** The request as JSON (the {@code chat} frame without {@code op} and {@code id}). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("message", message);
        if (agent != null) o.put("agent", agent);
        if (conversation != null) o.put("conversation", conversation);
        if (!options.isEmpty()) o.set("options", options.deepCopy());
        return o;
    }

    private static String text(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw bad(field + " must be a string");
        return v.asText();
    }

    private static RuncastException bad(String message) {
        return new RuncastException(ErrorCode.BAD_REQUEST, message);
    }
}
