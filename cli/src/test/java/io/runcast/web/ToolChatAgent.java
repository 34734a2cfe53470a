package io.runcast.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.agent.Decision;
import io.runcast.chats.ChatAgent;
import io.runcast.chats.ChatTurn;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic chat agent for the chat page's tests. Its {@code respond} thinks, calls a calculator
 * through {@code ctx.tool} (from turn 2 also an invalid call and a cache hit), asks for approval
 * (approve/deny), then streams an answer that names the history it was given. A message starting with
 * "wait" holds the turn until it is cancelled; {@link #midAnswer} holds it halfway through the answer.
 */
final class ToolChatAgent implements ChatAgent {
    static final String PROMPT = "Share the result with the team?";

    private final String name;
    private final String description;
    /** When set, the answer stops after its first half until the latch opens. */
    volatile CountDownLatch midAnswer;

    ToolChatAgent(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override public String name() { return name; }
    @Override public String description() { return description; }

    @Override
    public Agent analyze(ChatTurn turn) {
        return ctx -> {
            ctx.out().thinking("The person asks: " + turn.message());
            ctx.out().thinking("This needs arithmetic, so the calculator.");
            return TextNode.valueOf("use the calculator");
        };
    }

    @Override
    public Agent respond(ChatTurn turn) {
        return ctx -> {
            ctx.out().thinking("Computing 17 * 23 for turn " + turn.turn() + ".");
            if (turn.message().startsWith("wait")) {
                ctx.out().thinking("Holding until someone presses Stop.");
                ctx.sleep(Duration.ofSeconds(60)); // wakes with CancellationException on cancel
            }
            ObjectNode args = Json.object().put("expression", "17 * 23").put("precision", 0);
            var result = ctx.tool("calculator", args, () -> Json.object().put("value", 391));
            if (turn.turn() > 1) {
                ctx.out().emit(EventTypes.TOOL_CALL, Json.object().put("tool", "lookup").put("call", "bad-1")
                        .put("invalid", true).<ObjectNode>set("input", Json.object().put("id", -1))
                        .set("errors", Json.MAPPER.valueToTree(List.of("id must be >= 0"))));
                ctx.out().emit(EventTypes.TOOL_RESULT, Json.object().put("tool", "lookup").put("call", "bad-1")
                        .put("error", "invalid arguments").put("duration_ms", 0));
                ctx.out().emit(EventTypes.TOOL_CALL, Json.object().put("tool", "lookup").put("call", "cached-1")
                        .set("input", Json.object().put("id", 7)));
                ctx.out().emit(EventTypes.TOOL_RESULT, Json.object().put("tool", "lookup").put("call", "cached-1")
                        .put("duration_ms", 1).put("cache", "hit").set("output", Json.object().put("name", "seven")));
            }
            Decision d = ctx.decide(PROMPT, List.of("approve", "deny"), "deny", Duration.ofSeconds(120), false, null);
            String answer = (d.text().equals("approve") ? "Shared: " : "Kept to myself: ")
                    + "17 * 23 = " + result.path("value").asInt() + ". I saw " + turn.history().size() + " earlier messages.";
            String[] words = answer.split("(?<= )");
            for (int i = 0; i < words.length; i++) {
                if (i == words.length / 2) {
                    CountDownLatch hold = midAnswer;
                    if (hold != null && !hold.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                }
                ctx.out().delta(words[i]);
                ctx.sleep(Duration.ofMillis(10));
            }
            ctx.out().metrics(Json.object().put("tokens_in", 40 + turn.history().size()).put("tokens_out", words.length));
            ctx.out().answer(answer);
            return Json.object().put("answer", answer);
        };
    }

    @Override
    public Agent review(ChatTurn turn) {
        return ctx -> {
            ctx.out().qualityCheck(0.9, true, "arithmetic checked");
            return null;
        };
    }
}
