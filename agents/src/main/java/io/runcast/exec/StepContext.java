package io.runcast.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.agent.AgentContext;
import io.runcast.agent.Decision;
import io.runcast.agent.DecisionTimeoutException;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.producer.RunHandle;
import io.runcast.producer.SinkHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@link AgentContext} of one attempt; every call first checks that the attempt is still alive. */
final class StepContext implements AgentContext {
    private final Execution ex;
    private final Attempt attempt;
    private final RunHandle out;
    private final AtomicInteger counter = new AtomicInteger();

    StepContext(Execution ex, Attempt attempt) {
        this.ex = ex;
        this.attempt = attempt;
        this.out = new SinkHandle(ex.run, attempt.step.id(), attempt.step.agentName(), this::emit);
    }

    private CompletionStage<Long> emit(EventDraft draft) {
        attempt.checkAlive();
        return ex.emit(draft);
    }

    @Override public String run() { return ex.run; }
    @Override public String step() { return attempt.step.id(); }
    @Override public String agent() { return attempt.step.agentName(); }
    @Override public int attempt() { return attempt.number; }
    @Override public RunHandle out() { return out; }

    @Override
    public JsonNode input() {
        return attempt.step.input() == null ? MissingNode.getInstance() : attempt.step.input();
    }

    @Override
    public Map<String, JsonNode> results() {
        Map<String, JsonNode> r = new HashMap<>();
        for (String d : attempt.step.after()) r.put(d, ex.results().get(d));
        return r;
    }

    @Override
    public void progress(double percent, String message, String substep) {
        out.progress(percent, message, substep);
    }

    @Override
    public JsonNode tool(String name, JsonNode input, Callable<JsonNode> call) throws Exception {
        String id = step() + "-" + attempt.number + "-call-" + counter.incrementAndGet();
        out.toolCall(name, input, id);
        long t0 = System.nanoTime();
        try {
            JsonNode r = call.call();
            out.toolResult(name, r, id, (System.nanoTime() - t0) / 1_000_000);
            return r;
        } catch (Exception e) {
            ObjectNode d = Json.object();
            d.put("tool", name);
            d.put("call", id);
            d.put("error", String.valueOf(e.getMessage()));
            d.put("duration_ms", (System.nanoTime() - t0) / 1_000_000);
            if (!attempt.dead()) out.emit(EventTypes.TOOL_RESULT, d);
            throw e;
        }
    }

    @Override
    public void stage(String stage, List<String> stages, double completionPercentage) {
        out.stage(stage, stages, completionPercentage);
    }

    @Override
    public Decision decide(String prompt, List<?> options, Object dflt, Duration timeout, boolean canSkip, JsonNode context)
            throws InterruptedException {
        checkpoint();
        // Unique per run, also across retries of the same step.
        String id = step() + "-" + attempt.number + "-d" + counter.incrementAndGet();
        CompletableFuture<Event> answer = ex.owner.control().awaitDecision(ex.run, id);
        double seconds = timeout == null ? 0 : timeout.toMillis() / 1000.0;
        try {
            out.decisionRequested(id, prompt, options, dflt, seconds, canSkip, context).toCompletableFuture().join();
        } catch (RuntimeException e) {
            attempt.checkAlive();
            throw new CancellationException("decision could not be asked: " + e.getMessage());
        }
        Event e;
        try {
            e = answer.get();
        } catch (InterruptedException ie) {
            attempt.checkAlive();
            throw ie;
        } catch (ExecutionException ee) {
            throw new CancellationException("run ended while waiting for decision " + id);
        }
        ObjectNode d = e.dataNode();
        JsonNode choice = d.get("choice");
        boolean timedOut = d.path("timed_out").asBoolean(false);
        if (choice == null || choice.isNull()) {
            if (timedOut) throw new DecisionTimeoutException(id);
            throw new IllegalStateException("decision " + id + " resolved without a choice");
        }
        return new Decision(id, choice, d.path("by").asText(null), timedOut, d.path("skipped").asBoolean(false));
    }

    @Override
    public void checkpoint() throws InterruptedException {
        attempt.checkAlive();
        if (ex.cancelled) throw new CancellationException("run cancelled");
        synchronized (ex.pauseMonitor) {
            while (ex.paused && !attempt.dead() && !ex.cancelled) ex.pauseMonitor.wait(250);
        }
        attempt.checkAlive();
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        attempt.checkAlive();
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            attempt.checkAlive();
            throw e;
        }
    }

    @Override
    public boolean cancelled() {
        return attempt.dead() || ex.cancelled;
    }

    @Override
    public boolean paused() {
        return ex.paused;
    }

    @Override
    public void onCancel(AutoCloseable resource) {
        attempt.onCancel(resource);
    }
}
