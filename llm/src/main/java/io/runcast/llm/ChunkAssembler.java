package io.runcast.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code data:} payloads of one chat-completions stream into listener calls and, at the end, a
 * {@link Completion}. Only choice 0 is assembled (the client never asks for {@code n > 1}).
 *
 * <p>What servers really send, and how it is read:
 * <ul>
 *   <li>reasoning comes as {@code delta.reasoning_content} (DeepSeek, llama.cpp, older vLLM) or
 *       {@code delta.reasoning} (Ollama, OpenRouter, newer vLLM); some send both with the same text, so a delta
 *       contributes one of them, {@code reasoning_content} first;</li>
 *   <li>tool calls are keyed by {@code index}, {@code id} and {@code name} in their first delta and
 *       {@code arguments} split over many; a delta whose {@code id} differs from the call at its index opens a new
 *       call (servers that number every parallel call 0), and a delta without {@code index} opens a new call when it
 *       has a new {@code id} and otherwise continues the last one (servers that omit the index);</li>
 *   <li>usage comes in a chunk with {@code choices: []} (or null, or absent); the last one seen wins;</li>
 *   <li>{@code data: {"error": …}} (or an {@code event: error}) mid-stream is the server giving up.</li>
 * </ul>
 */
final class ChunkAssembler {
    private static final int EXCERPT = 200;

    private final LlmListener listener;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final List<CallBuilder> calls = new ArrayList<>();
    private final Map<Integer, CallBuilder> byWireIndex = new HashMap<>();
    private String finishReason;
    private Usage usage;
    private boolean done;

    ChunkAssembler(LlmListener listener) {
        this.listener = listener;
    }

    /** Handles one event; returns false at {@code [DONE]}. Throws {@link LlmException} for a malformed or error chunk. */
    boolean event(String type, String data) {
        if (data.strip().equals("[DONE]")) {
            done = true;
            return false;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            throw malformed("it is not JSON (" + e.getOriginalMessage() + ")", data);
        }
        if (chunk == null || !chunk.isObject()) throw malformed("it is not a JSON object", data);
        JsonNode error = chunk.get("error");
        if ("error".equals(type) || error != null && !error.isNull()) throw streamError(error == null ? chunk : error);
        JsonNode usageNode = chunk.get("usage");
        if (usageNode != null && usageNode.isObject()) {
            usage = new Usage(usageNode.path("prompt_tokens").asLong(), usageNode.path("completion_tokens").asLong());
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || choices.isNull()) return true;
        if (!choices.isArray()) throw malformed("its choices are not an array", data);
        for (JsonNode choice : choices) {
            if (choice.path("index").asInt(0) != 0) continue;
            delta(choice.path("delta"), data);
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && finish.isTextual()) finishReason = finish.asText();
        }
        return true;
    }

    boolean done() {
        return done;
    }

    String finishReason() {
        return finishReason;
    }

    Completion completion(Duration timeToFirstToken, int attempts) {
        List<ToolCall> toolCalls = calls.stream().map(CallBuilder::build).toList();
        return new Completion(content.toString(), reasoning.toString(), toolCalls, finishReason, usage, timeToFirstToken, attempts);
    }

    private void delta(JsonNode delta, String data) {
        String text = text(delta.get("content"));
        if (text != null) {
            content.append(text);
            listener.onContent(text);
        }
        String thought = text(delta.get("reasoning_content"));
        if (thought == null) thought = text(delta.get("reasoning"));
        if (thought != null) {
            reasoning.append(thought);
            listener.onReasoning(thought);
        }
        JsonNode toolCalls = delta.get("tool_calls");
        if (toolCalls == null || toolCalls.isNull()) return;
        if (!toolCalls.isArray()) throw malformed("its tool_calls are not an array", data);
        for (JsonNode call : toolCalls) toolCall(call);
    }

    private void toolCall(JsonNode delta) {
        String id = text(delta.get("id"));
        JsonNode function = delta.path("function");
        JsonNode index = delta.get("index");
        CallBuilder call;
        if (index != null && index.canConvertToInt()) {
            call = byWireIndex.get(index.asInt());
            if (call == null || id != null && call.id != null && !id.equals(call.id)) {
                call = open();
                byWireIndex.put(index.asInt(), call);
            }
        } else {
            CallBuilder last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
            call = last == null || id != null && !id.equals(last.id) ? open() : last;
        }
        if (call.id == null) call.id = id;
        if (call.name == null) call.name = text(function.get("name"));
        JsonNode arguments = function.get("arguments");
        if (arguments != null && arguments.isTextual()) call.arguments.append(arguments.asText());
        else if (arguments != null && !arguments.isNull()) call.arguments.append(arguments);
        if (!call.announced && call.name != null) {
            call.announced = true;
            listener.onToolCallStart(call.index, call.id(), call.name);
        }
    }

    private CallBuilder open() {
        CallBuilder call = new CallBuilder(calls.size());
        calls.add(call);
        return call;
    }

    /** A non-empty string, or null. */
    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    private static LlmException malformed(String what, String data) {
        String excerpt = data.length() > EXCERPT ? data.substring(0, EXCERPT) + "…" : data;
        return new LlmException(LlmException.Kind.MALFORMED_CHUNK, "malformed chunk in the stream: " + what + ": " + excerpt);
    }

    private static LlmException streamError(JsonNode error) {
        String message = error.isTextual() ? error.asText() : text(error.get("message"));
        if (message == null) message = error.toString();
        return new LlmException(LlmException.Kind.STREAM_ERROR, "the server reported an error mid-stream: " + message, 0, message, null);
    }

    private static final class CallBuilder {
        final int index;
        final StringBuilder arguments = new StringBuilder();
        String id;
        String name;
        boolean announced;

        CallBuilder(int index) {
            this.index = index;
        }

        String id() {
            return id != null ? id : "call_" + index;
        }

        ToolCall build() {
            return new ToolCall(index, id(), name == null ? "" : name, arguments.toString());
        }
    }
}
