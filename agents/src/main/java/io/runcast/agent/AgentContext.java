package io.runcast.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.producer.RunHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What an agent sees of its step while it runs. Streaming goes through {@link #out()} (all catalogue
 * helpers, stamped with this step and agent); the other methods add behaviour the executor owns:
 * progress, timed tool calls, human decisions, pause and cancellation.
 *
 * <p>Every method may throw {@link java.util.concurrent.CancellationException} once the run is cancelled,
 * the run failed elsewhere, or this attempt timed out; agents let it propagate.
 */
public interface AgentContext {
    String run();

    String step();

    String agent();

    /** 1 for the first attempt, then 2, 3 … on retries. */
    int attempt();

    /** The step's input as given in the plan (a missing node when none). */
    JsonNode input();

    /** Results of the steps this one depends on, by step id. */
    Map<String, JsonNode> results();

    /** Events of this step and agent. Sends are asynchronous; failures after the run ended are ignored by design. */
    RunHandle out();

    /** Reports {@code step.progress} (0..100) with a message and an optional sub-step name. */
    void progress(double percent, String message, String substep);

    default void progress(double percent, String message) {
        progress(percent, message, null);
    }

    /**
     * Calls a tool: streams {@code tool.call}, runs {@code call}, streams {@code tool.result} with
     * {@code duration_ms} (or {@code error} when it throws, then rethrows). Counted in the run's summary.
     */
    JsonNode tool(String name, JsonNode input, Callable<JsonNode> call) throws Exception;

    /** Moves the workflow to a stage: streams {@code workflow.stage}; the summary times each stage. */
    void stage(String stage, List<String> stages, double completionPercentage);

    /**
     * Asks a human and waits for the answer: streams {@code decision.requested} and blocks until
     * {@code decision.resolved} (an answer, a skip, or the default after {@code timeout}).
     *
     * @param options  allowed choices; empty for a free-form answer
     * @param dflt     taken when nobody answers within {@code timeout}; null for none, in which case the
     *                 timeout throws {@link DecisionTimeoutException}
     * @param timeout  null or zero to wait for as long as the step may run
     * @param canSkip  whether {@code "skip"} is an accepted answer
     * @param context  free-form JSON shown to whoever decides, or null
     */
    Decision decide(String prompt, List<?> options, Object dflt, Duration timeout, boolean canSkip, JsonNode context)
            throws InterruptedException;

    /** Throws when cancelled; waits here while the run is paused. Call between units of work. */
    void checkpoint() throws InterruptedException;

    /** Sleeps, waking at once (with CancellationException) when the run is cancelled. */
    void sleep(Duration d) throws InterruptedException;

    /** True once the run was cancelled or this attempt was abandoned. */
    boolean cancelled();

    /** True while the run is paused. */
    boolean paused();

    /** Closes the resource when this attempt is cancelled or abandoned (unblocks socket reads and the like). */
    void onCancel(AutoCloseable resource);
}
