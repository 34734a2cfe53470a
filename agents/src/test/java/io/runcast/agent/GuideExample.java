package io.runcast.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.config.RuncastConfig;
import io.runcast.event.Event;
import io.runcast.event.Json;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.Plan;
import io.runcast.exec.PlanExecutor;
import io.runcast.exec.Retry;
import io.runcast.exec.RunExecution;
import io.runcast.exec.Step;
import io.runcast.server.RuncastServer;
import java.time.Duration;
import java.util.List;

/** The example of docs/agents.md, kept compiling and running by {@link GuideExampleTest}. Keep the two in step. */
public final class GuideExample {
    public static Event run(int port) throws Exception {
        // 1. An embedded server (or use the one `./runcast serve` started in this JVM).
        try (RuncastServer server = RuncastServer.start(RuncastConfig.builder().port(port).store("memory").build());
             PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT)) {

            // 2. Agents: plain lambdas (or classes) that report through their context.
            Agent researcher = ctx -> {
                ctx.out().thinking("Looking for sources");
                JsonNode hits = ctx.tool("web_search", TextNode.valueOf("agent streaming"),
                        () -> Json.parse("{\"results\":[\"a\",\"b\"]}"));
                ctx.progress(100, "found " + hits.path("results").size() + " sources");
                return hits;
            };
            Agent reviewer = ctx -> {
                Decision d = ctx.decide("Which tone?", List.of("concise", "detailed"), "concise",
                        Duration.ofSeconds(2), true, null);
                return d.choice();
            };
            Agent writer = ctx -> {
                String tone = ctx.results().get("review").asText();
                for (String word : ("A " + tone + " answer.").split(" ")) {
                    ctx.out().delta(word + " ");
                    ctx.checkpoint(); // honours pause and cancel between tokens
                }
                ctx.out().answer("A " + tone + " answer.");
                return TextNode.valueOf(tone);
            };

            // 3. A plan: steps with dependencies, timeouts and retries.
            Plan plan = Plan.of("How do teams stream agent runs?",
                    Step.of("research", "researcher", researcher).withRetry(Retry.times(3, Duration.ofMillis(200))),
                    Step.of("review", "reviewer", reviewer, "research"),
                    Step.of("write", "writer", writer, "review").withTimeout(Duration.ofSeconds(30)));

            // 4. Start it; watch it on ws://127.0.0.1:<port>/ws with {"op":"subscribe","run":"guide-1"}.
            RunExecution run = executor.start("guide-1", plan);
            return run.done().get(); // run.completed, run.failed or run.cancelled
        }
    }
}
