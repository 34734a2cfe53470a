package io.runcast.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.agent.AgentContext;
import io.runcast.agent.Decision;
import io.runcast.event.Json;
import java.time.Duration;
import java.util.List;

/**
 * Scripted agents for the demo: no model behind them, but the same events a real multi-agent run
 * streams, at a human pace scaled by {@code pace} (1.0 for watching, 0.01 in tests).
 */
final class DemoAgents {
    static final List<String> STAGES = List.of("Planning", "Research", "Review", "Writing");
    static final String ANSWER = "Teams stream agent runs as ordered events over WebSocket: each run gets a sequence, "
            + "subscribers resume from the last seq they saw, and every run ends with exactly one terminal event, "
            + "so no browser is left with a spinner that never stops.";

    private final double pace;
    private final Duration decisionTimeout;

    DemoAgents(double pace, Duration decisionTimeout) {
        this.pace = pace;
        this.decisionTimeout = decisionTimeout;
    }

    private void pause(AgentContext ctx, long ms) throws InterruptedException {
        ctx.sleep(Duration.ofMillis(Math.max(1, Math.round(ms * pace))));
        ctx.checkpoint();
    }

    Agent planner() {
        return ctx -> {
            ctx.stage("Planning", STAGES, 0);
            ctx.out().modelSelected("large-reasoner", "high", "multi-step planning needs the strongest model");
            ctx.out().thinking("The question has three parts: sources, patterns, and a short write-up.");
            pause(ctx, 600);
            ctx.out().action("Drafting a plan: research, analysis, review, writing");
            for (int p : new int[] {30, 60, 100}) {
                ctx.progress(p, "planning " + p + "%", "outline");
                pause(ctx, 400);
            }
            ctx.out().result("Plan ready: 4 steps, research and analysis in parallel");
            ctx.out().log("info", "planner produced 4 steps");
            ObjectNode plan = Json.object();
            STAGES.forEach(plan.putArray("stages")::add);
            return plan;
        };
    }

    /** Fails its first attempt on a rate limit so every demo run shows a retry. */
    Agent researcher() {
        return ctx -> {
            if (ctx.attempt() == 1) ctx.stage("Research", STAGES, 25);
            ctx.out().thinking("Searching for how teams stream agent progress to browsers.");
            ObjectNode q = Json.object();
            q.put("query", "agent run streaming websocket resume");
            JsonNode hits = ctx.tool("web_search", q, () -> {
                pause(ctx, 700);
                return Json.parse("{\"results\":[\"seed-000\",\"seed-001\",\"seed-002\",\"seed-003\",\"seed-004\"]}");
            });
            ctx.progress(33, "found " + hits.path("results").size() + " sources", "search");
            ObjectNode page = Json.object();
            page.put("url", "https://example.org/streaming-agents");
            ctx.tool("fetch_page", page, () -> {
                pause(ctx, 500);
                if (ctx.attempt() == 1) {
                    ctx.out().agentError("fetch_page was rate limited (HTTP 429)");
                    throw new IllegalStateException("HTTP 429 rate limited by example.org");
                }
                return TextNode.valueOf("Ordered events, resume by seq, one terminal event per run.");
            });
            ctx.progress(66, "read the page", "fetch");
            pause(ctx, 400);
            ObjectNode m = Json.object();
            m.put("tokens_in", 1840);
            m.put("tokens_out", 312);
            m.put("cost_usd", 0.0041);
            m.put("sources", hits.path("results").size());
            ctx.out().metrics(m);
            ctx.progress(100, "research done", "summarise");
            ctx.out().result("5 sources agree: ordered, resumable streams");
            return hits;
        };
    }

    /** When {@code failing}, its quality gate fails for good and with it the run. */
    Agent analyst(boolean failing) {
        return ctx -> {
            ctx.out().modelSelected("small-fast", "low", "pattern extraction is simple");
            ctx.out().thinking("Comparing how the five teams end their streams.");
            for (int p : new int[] {20, 50, 80}) {
                ctx.progress(p, "comparing sources", "compare");
                pause(ctx, 450);
            }
            double score = failing ? 0.41 : 0.86;
            ctx.out().qualityCheck(score, !failing, "source coverage");
            ctx.out().health(failing ? "degraded" : "healthy");
            if (failing) {
                ctx.out().log("error", "quality gate failed: score 0.41 < 0.7");
                throw new IllegalStateException("quality gate failed: score 0.41 below 0.7");
            }
            ctx.progress(100, "analysis done", "compare");
            ObjectNode f = Json.object();
            f.put("pattern", "sequence numbers + resume + terminal event");
            f.put("score", score);
            return f;
        };
    }

    Agent reviewer() {
        return ctx -> {
            ctx.stage("Review", STAGES, 60);
            ctx.out().reviewRequested("Confirm the tone before the writer starts");
            ObjectNode context = Json.object();
            context.put("sources", 5);
            context.put("quality_score", 0.86);
            Decision d = ctx.decide("Which tone should the summary take?", List.of("concise", "detailed"),
                    "concise", decisionTimeout, true, context);
            ctx.out().result("tone: " + d.text() + (d.timedOut() ? " (default after timeout)" : " (chosen by " + d.by() + ")"));
            return d.choice();
        };
    }

    Agent writer() {
        return ctx -> {
            ctx.stage("Writing", STAGES, 80);
            ctx.out().modelSelected("large-writer", "medium", "a short answer in a chosen tone");
            String tone = ctx.results().getOrDefault("review", TextNode.valueOf("concise")).asText();
            ctx.out().thinking("Writing a " + tone + " answer from the research and analysis.");
            String[] words = ANSWER.split(" ");
            for (int i = 0; i < words.length; i++) {
                ctx.out().delta(i == 0 ? words[i] : " " + words[i]);
                ctx.sleep(Duration.ofMillis(Math.max(1, Math.round(60 * pace))));
                if (i % 10 == 9) ctx.progress(Math.round(100.0 * (i + 1) / words.length), "writing", "tokens");
            }
            ctx.out().answer(ANSWER);
            ctx.out().chat("assistant", ANSWER);
            ctx.progress(100, "answer written", "tokens");
            ctx.stage("Writing", STAGES, 100);
            return TextNode.valueOf(ANSWER);
        };
    }
}
