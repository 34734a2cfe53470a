package io.runcast.chats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.agent.Agent;
import io.runcast.agent.AgentContext;
import io.runcast.event.Json;
import io.runcast.tool.CallOptions;
import io.runcast.tool.ToolCall;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.ToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat agent that needs no model and no network: deterministic reasoning over the message, real
 * tool calls through the {@link ToolDispatcher} (so validation, caching and approvals are the real
 * thing), and an answer streamed token by token. It drives the demo and the tests, and it is the
 * default agent when no model is configured.
 *
 * <p>What it does with a message (first match; docs/agents.md lists the same):
 * <ul>
 *   <li>an arithmetic expression → {@code calculator};</li>
 *   <li>"time", "date", "today" → {@code current_time}, in the zone of a city it knows (Tokyo, London,
 *       Paris, Berlin, New York, San Francisco, Sydney) or UTC;</li>
 *   <li>starts with "remember", "note" or "save" → {@code save_note}, which asks a person to approve;</li>
 *   <li>mentions "notes" → {@code search_notes};</li>
 *   <li>a URL → {@code fetch_url} (the only case that touches the network, and only when asked);</li>
 *   <li>anything else → an answer from its reasoning alone.</li>
 * </ul>
 * In the light pipeline it calls at most one tool. {@code pace} scales its pauses (1.0 reads like a
 * person watching a model; 0 in tests).
 */
public final class ScriptedAgent implements ChatAgent {
    public static final String NAME = "scripted";

    private static final Pattern ARITHMETIC = Pattern.compile("(?<![\\w.])[-(]*\\d[\\d.\\s]*(?:[-+*/^%][\\s(]*-?\\d[\\d.\\s)]*)+");
    private static final Pattern TIME = Pattern.compile("\\b(time|date|today|day is it)\\b");
    private static final Pattern SAVE = Pattern.compile("^(please )?(remember|note|save)\\b[:,]?\\s*(that\\s+)?(.+)$", Pattern.DOTALL);
    private static final Pattern NOTES = Pattern.compile("\\bnotes?\\b");
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");
    private static final Map<String, String> CITIES = Map.of(
            "tokyo", "Asia/Tokyo", "london", "Europe/London", "paris", "Europe/Paris", "berlin", "Europe/Berlin",
            "new york", "America/New_York", "san francisco", "America/Los_Angeles", "sydney", "Australia/Sydney");
    private static final List<String> STAGES = List.of("analyze", "respond", "review");

    private final ToolDispatcher tools;
    private final double pace;
    private final Duration approvalTimeout;

    /**
     * @param tools           the tools it calls (it uses the built-ins by name)
     * @param pace            multiplies its pauses; 0 for none
     * @param approvalTimeout how long an approval waits before the call is denied
     */
    public ScriptedAgent(ToolDispatcher tools, double pace, Duration approvalTimeout) {
        if (pace < 0) throw new IllegalArgumentException("pace must be >= 0");
        this.tools = tools;
        this.pace = pace;
        this.approvalTimeout = approvalTimeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a scripted agent: no model, real tools (calculator, time, notes, URLs), answers token by token";
    }

    /** What the message asks for, decided the same way by every step. */
    record Intent(String kind, String tool, ObjectNode args, String why) {}

    static Intent intent(String message) {
        String m = message.strip();
        String lower = m.toLowerCase(Locale.ROOT);
        Matcher save = SAVE.matcher(lower);
        if (save.matches()) {
            String text = m.substring(m.length() - save.group(4).length()).strip();
            String title = text.split("[.!?\\n]")[0];
            if (title.length() > 60) title = title.substring(0, 60);
            return new Intent("note", "save_note", Json.object().put("title", title).put("text", text),
                    "this is something to remember, so I'll save it as a note — that needs your approval");
        }
        Matcher url = URL.matcher(m);
        if (url.find()) {
            return new Intent("fetch", "fetch_url", Json.object().put("url", url.group()), "there is a link, so I'll read the page");
        }
        Matcher arithmetic = ARITHMETIC.matcher(m);
        while (arithmetic.find()) {
            String expr = arithmetic.group().strip();
            if (expr.matches(".*\\d.*[-+*/^%].*\\d.*")) {
                return new Intent("arithmetic", "calculator", Json.object().put("expression", expr),
                        "there is arithmetic here, and I'd rather compute than guess");
            }
        }
        if (TIME.matcher(lower).find()) {
            ObjectNode args = Json.object();
            String city = null;
            for (var e : CITIES.entrySet()) {
                if (lower.contains(e.getKey())) {
                    city = e.getKey();
                    args.put("timezone", e.getValue());
                }
            }
            return new Intent("time", "current_time", args, "it asks for the time" + (city == null ? "" : " in " + titleCase(city))
                    + ", which only a clock can tell");
        }
        if (NOTES.matcher(lower).find()) {
            String query = lower.replaceAll("\\b(what|do|does|did|my|the|notes?|say|about|find|search|in|i|me|tell)\\b", " ")
                    .replaceAll("[^\\p{L}\\p{N} ]", " ").strip().replaceAll("\\s+", " ");
            return new Intent("notes", "search_notes", Json.object().put("query", query.isEmpty() ? lower : query),
                    "it asks about saved notes, so I'll search them");
        }
        return new Intent("open", null, null, "no tool can add facts here, so I'll reason it through");
    }

    @Override
    public Agent analyze(ChatTurn turn) {
        return ctx -> {
            ctx.stage("analyze", STAGES, 0);
            Intent intent = intent(turn.message());
            think(ctx, "The question: “" + clip(turn.message(), 120) + "”.");
            if (!turn.history().isEmpty()) {
                think(ctx, "Earlier in this conversation (" + turn.history().size() + " messages) the last ask was “"
                        + clip(lastUserMessage(turn), 80) + "”; I'll keep that context in mind.");
            }
            think(ctx, "Plan: " + intent.why() + ".");
            return Json.object().put("intent", intent.kind()).put("tool", intent.tool());
        };
    }

    @Override
    public Agent respond(ChatTurn turn) {
        return ctx -> {
            if (!turn.light()) ctx.stage("respond", STAGES, 33);
            Intent intent = intent(turn.message());
            if (turn.light()) think(ctx, "A simple ask: " + intent.why() + ".");
            int calls = 0;
            int errors = 0;
            String answer;
            if (intent.tool() == null) {
                answer = openAnswer(turn);
            } else {
                think(ctx, "Calling " + intent.tool() + " with " + Json.write(intent.args()) + ".");
                CallOptions opts = CallOptions.DEFAULT.withFresh(turn.fresh()).withApprovalTimeout(approvalTimeout);
                ToolResult r = tools.dispatch(new ToolCall(null, intent.tool(), Json.write(intent.args())), ctx, opts);
                calls++;
                if (!r.ok()) errors++;
                think(ctx, r.ok() ? "Got it" + (r.cached() ? " (from the cache)" : "") + "; writing the answer."
                        : "That did not work (" + r.error() + "); I'll say so.");
                answer = toolAnswer(intent, r);
            }
            stream(ctx, answer);
            return Json.object().put("answer", answer).put("tool_calls", calls).put("tool_errors", errors);
        };
    }

    @Override
    public Agent review(ChatTurn turn) {
        Agent review = AnswerReview.agent();
        return ctx -> {
            ctx.stage("review", STAGES, 66);
            return review.run(ctx);
        };
    }

    private static String toolAnswer(Intent intent, ToolResult r) {
        if (r.denied()) return "I did not save that: " + r.error() + ".";
        if (!r.ok()) return "I could not finish: " + intent.tool() + " said “" + r.error() + "”.";
        JsonNode o = r.output();
        return switch (intent.kind()) {
            case "arithmetic" -> o.path("expression").asText() + " = " + o.path("result").asText() + ".";
            case "time" -> "It is " + o.path("iso").asText().replace('T', ' ') + " (" + o.path("weekday").asText() + ") in "
                    + o.path("timezone").asText() + ".";
            case "note" -> "Saved: “" + intent.args().path("title").asText() + "”. Ask me about your notes any time.";
            case "notes" -> o.path("count").asInt() == 0 ? "I found no notes about that."
                    : "From your notes: " + noteList(o.path("notes")) + ".";
            case "fetch" -> "The page (" + o.path("status").asText() + ", " + o.path("content_type").asText() + ") says: "
                    + clip(o.path("text").asText(), 400);
            default -> Json.write(o);
        };
    }

    private static String noteList(JsonNode notes) {
        List<String> out = new ArrayList<>();
        notes.forEach(n -> out.add("“" + n.path("text").asText() + "”"));
        return String.join("; ", out);
    }

    private static String openAnswer(ChatTurn turn) {
        String topic = clip(turn.message().strip().replaceAll("[?!.]+$", ""), 100);
        String context = turn.history().isEmpty() ? "" : " Building on what we discussed (“" + clip(lastUserMessage(turn), 60) + "”),";
        return (context.isEmpty() ? "Here is how I see it:" : context.strip()) + " “" + topic + "” comes down to three things. "
                + "First, be clear about the goal and who it serves. Second, start with the smallest version that "
                + "shows it works, and measure it. Third, keep what you learn visible to the people who depend on it. "
                + "I am the scripted agent, so this is reasoning rather than research — configure a model "
                + "(see “Connect your model” in the README) for real answers.";
    }

    private static String lastUserMessage(ChatTurn turn) {
        for (int i = turn.history().size() - 1; i >= 0; i--) {
            if (turn.history().get(i).role().equals(ChatMessage.USER)) return turn.history().get(i).content();
        }
        return "";
    }

    private void think(AgentContext ctx, String text) throws InterruptedException {
        ctx.out().thinking(text);
        pause(ctx, 350);
    }

    /** The answer, one word (and its space) per delta, then the whole of it. */
    private void stream(AgentContext ctx, String answer) throws InterruptedException {
        Matcher words = Pattern.compile("\\S+\\s*").matcher(answer);
        while (words.find()) {
            ctx.checkpoint();
            ctx.out().delta(words.group());
            pause(ctx, 45);
        }
        ctx.out().answer(answer);
    }

    private void pause(AgentContext ctx, long ms) throws InterruptedException {
        long scaled = Math.round(ms * pace);
        if (scaled > 0) ctx.sleep(Duration.ofMillis(scaled));
        else ctx.checkpoint();
    }

    private static String clip(String s, int max) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }

    private static String titleCase(String s) {
        StringBuilder b = new StringBuilder();
        for (String w : s.split(" ")) b.append(b.length() == 0 ? "" : " ").append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        return b.toString();
    }
}
