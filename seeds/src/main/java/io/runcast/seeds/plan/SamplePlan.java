package io.runcast.seeds.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.engine.Engine;
import io.runcast.engine.InProcessProducer;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.producer.RunHandle;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The run behind {@code POST /api/test/streaming/{plan_id}}: a three-step plan by three agents,
 * published through the engine like any producer's, one event per pause on a timer thread — the HTTP
 * answer never waits for it, and one thread serves any number of sample runs.
 */
final class SamplePlan {
    /** One event of the script: its step and agent (null for the plan's own events), type and data. */
    record Line(String step, String agent, String type, ObjectNode data) {}

    static final List<Line> SCRIPT = script();

    private final Engine engine;
    private final InProcessProducer producer;
    private final long pauseMs;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "seed-000-sample");
        t.setDaemon(true);
        return t;
    });

    SamplePlan(Engine engine, Duration pause) {
        this.engine = engine;
        this.producer = new InProcessProducer(engine);
        this.pauseMs = pause.toMillis();
    }

    /**
     * Starts the sample run on {@code plan}. Throws INVALID_RUN for a bad id, RUN_CLOSED when the plan
     * already has events (a sample never mixes into another run). May read the store.
     */
    void start(String plan) {
        RunHandle handle = producer.attach(plan);
        if (engine.info(plan).isPresent() || !running.add(plan)) {
            throw new RuncastException(ErrorCode.RUN_CLOSED, "plan " + plan + " already has a run; use a new plan id");
        }
        timer.execute(() -> next(handle, 0));
    }

    private void next(RunHandle handle, int i) {
        Line line = SCRIPT.get(i);
        handle.emit(new EventDraft(line.type(), line.step(), line.agent(), Json.write(line.data()), null))
                .whenComplete((seq, failure) -> {
                    // a failure means the run was closed under us (cancelled): the sample stops there
                    if (failure == null && i + 1 < SCRIPT.size()) timer.schedule(() -> next(handle, i + 1), pauseMs, TimeUnit.MILLISECONDS);
                    else running.remove(handle.run());
                });
    }

    private static List<Line> script() {
        String a = "Data Analyst", r = "Market Researcher", w = "Report Writer";
        return List.of(
                new Line(null, null, EventTypes.RUN_STARTED, Json.object().put("query", "Why did Q3 sales drop in the north region?")
                        .put("total_steps", 3)),
                new Line("s1", a, EventTypes.STEP_STARTED, Json.object().put("agent", a)),
                new Line("s1", a, EventTypes.AGENT_THINKING, content("Analyzing the requirements: compare Q3 with Q2 by region and product line.")),
                new Line("s1", a, EventTypes.AGENT_ACTION, content("Loading 14 months of sales data from the warehouse…")),
                new Line("s1", a, EventTypes.STEP_PROGRESS, Json.object().put("progress", 60).put("message", "Loaded 41,200 orders")),
                new Line("s1", a, EventTypes.AGENT_RESULT, content("North region revenue fell 18% quarter over quarter; other regions are flat.")),
                new Line("s1", a, EventTypes.STEP_COMPLETED, Json.object().put("result", "North region down 18%").put("duration_ms", 2400)),
                new Line("s2", r, EventTypes.STEP_STARTED, Json.object().put("agent", r)),
                new Line("s2", r, EventTypes.AGENT_THINKING, content("A drop in one region only points to a local cause: competition, pricing or supply.")),
                new Line("s2", r, EventTypes.AGENT_ACTION, content("Searching market news for the north region…")),
                new Line("s2", r, EventTypes.AGENT_RESULT, content("A competitor opened three stores in the north in July, with 10% lower prices.")),
                new Line("s2", r, EventTypes.STEP_COMPLETED, Json.object().put("result", "Competitor expansion in July").put("duration_ms", 1800)),
                new Line("s3", w, EventTypes.STEP_STARTED, Json.object().put("agent", w)),
                new Line("s3", w, EventTypes.AGENT_THINKING, content("Putting the numbers and the market finding into a short report.")),
                new Line("s3", w, EventTypes.AGENT_ACTION, content("Writing the summary and recommendations…")),
                new Line("s3", w, EventTypes.AGENT_RESULT, content("Q3 north sales fell 18% after a competitor's July expansion; "
                        + "recommend a targeted promotion and a price review.")),
                new Line("s3", w, EventTypes.STEP_COMPLETED, Json.object().put("result", "Report ready").put("duration_ms", 1500)),
                new Line(null, null, EventTypes.RUN_COMPLETED, Json.object()));
    }

    private static ObjectNode content(String text) {
        return Json.object().put("content", text);
    }
}
