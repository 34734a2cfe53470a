package io.runcast.chats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.agent.Agent;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import java.util.Locale;

/**
 * The review step of the full pipeline: a quality gate over the answer the respond step returned
 * ({@code {"answer", "tool_calls", "tool_errors"}}), streamed as {@code quality.check}. It scores what
 * can be checked without another model call: an answer exists (0.5), it is more than a few words
 * (0.2), it is not cut off mid-sentence (0.1), and every tool call it relied on succeeded (0.2, less
 * 0.1 per failed call). Passing is 0.6 or more; a failed check is reported, not fatal: the person
 * still gets the answer, with the gate's verdict beside it.
 */
public final class AnswerReview {
    public static final double PASS = 0.6;

    private AnswerReview() {}

    public static Agent agent() {
        return ctx -> {
            JsonNode r = ctx.results().getOrDefault("respond", Json.object());
            ObjectNode verdict = review(r.path("answer").asText(""), r.path("tool_calls").asInt(0), r.path("tool_errors").asInt(0));
            ctx.out().emit(EventTypes.QUALITY_CHECK, verdict);
            return verdict;
        };
    }

    static ObjectNode review(String answer, int toolCalls, int toolErrors) {
        ObjectNode d = Json.object();
        ArrayNode notes = Json.MAPPER.createArrayNode();
        String a = answer.strip();
        double score = 0;
        if (!a.isEmpty()) score += 0.5;
        else notes.add("no answer");
        if (a.split("\\s+").length >= 4) score += 0.2;
        else notes.add("very short");
        if (a.isEmpty() || ".!?)`\"'*".indexOf(a.charAt(a.length() - 1)) >= 0 || a.endsWith("```")) score += 0.1;
        else notes.add("ends mid-sentence");
        if (toolErrors == 0) score += 0.2;
        else {
            score += Math.max(0, 0.2 - 0.1 * toolErrors);
            notes.add(toolErrors + " of " + toolCalls + " tool calls failed");
        }
        score = Math.round(score * 100) / 100.0;
        d.put("score", score).put("passed", score >= PASS).put("gate", "answer").put("threshold", PASS);
        d.set("notes", notes);
        d.put("summary", String.format(Locale.ROOT, "%s (%.2f)", score >= PASS ? "passed" : "flagged", score));
        return d;
    }
}
