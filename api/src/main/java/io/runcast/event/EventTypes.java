package io.runcast.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The catalogue of event types. The lifecycle names are fixed by the protocol; the rest cover every
 * kind of message in the seed applications (see docs/events.md for the mapping). Producers may add
 * their own types under {@code x.}; anything else is refused so that typos do not become new kinds.
 */
public final class EventTypes {
    // Run lifecycle (fixed). Exactly one terminal type ends every run.
    public static final String RUN_STARTED = "run.started";
    public static final String RUN_PAUSED = "run.paused";
    public static final String RUN_RESUMED = "run.resumed";
    public static final String RUN_COMPLETED = "run.completed";
    public static final String RUN_FAILED = "run.failed";
    public static final String RUN_CANCELLED = "run.cancelled";
    // Steps (fixed).
    public static final String STEP_STARTED = "step.started";
    public static final String STEP_PROGRESS = "step.progress";
    public static final String STEP_COMPLETED = "step.completed";
    public static final String STEP_FAILED = "step.failed";
    // Human decisions (fixed).
    public static final String DECISION_REQUESTED = "decision.requested";
    public static final String DECISION_RESOLVED = "decision.resolved";
    // Agent reasoning.
    public static final String AGENT_THINKING = "agent.thinking";
    public static final String AGENT_ACTION = "agent.action";
    public static final String AGENT_RESULT = "agent.result";
    public static final String AGENT_ERROR = "agent.error";
    public static final String TOOL_CALL = "tool.call";
    public static final String TOOL_RESULT = "tool.result";
    public static final String ANSWER_DELTA = "answer.delta";
    public static final String ANSWER_FINAL = "answer.final";
    public static final String CHAT_MESSAGE = "chat.message";
    // Orchestration.
    public static final String WORKFLOW_STAGE = "workflow.stage";
    public static final String WORKFLOW_ROUTE = "workflow.route";
    public static final String MODEL_SELECTED = "model.selected";
    public static final String ERROR_RECOVERY = "error.recovery";
    public static final String QUALITY_CHECK = "quality.check";
    public static final String QUALITY_REVIEW = "quality.review";
    // Operations.
    public static final String METRICS_UPDATE = "metrics.update";
    public static final String HEALTH_UPDATE = "health.update";
    public static final String LOG_LINE = "log.line";

    public static final String CUSTOM_PREFIX = "x.";

    /** Every catalogue type with a one-line description, in documentation order. */
    public static final Map<String, String> CATALOGUE;

    static {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(RUN_STARTED, "the run began; data may describe the plan (steps, query)");
        c.put(RUN_PAUSED, "no new step starts until run.resumed");
        c.put(RUN_RESUMED, "work continues after a pause");
        c.put(RUN_COMPLETED, "terminal: the run succeeded; data.summary carries telemetry");
        c.put(RUN_FAILED, "terminal: the run failed; data.reason says why (e.g. abandoned)");
        c.put(RUN_CANCELLED, "terminal: the run was cancelled; data.by says by whom");
        c.put(STEP_STARTED, "a plan step began");
        c.put(STEP_PROGRESS, "progress inside a step: data.progress 0..100, data.message, data.substep");
        c.put(STEP_COMPLETED, "a step succeeded; data.result, data.duration_ms");
        c.put(STEP_FAILED, "a step failed; data.error");
        c.put(DECISION_REQUESTED, "a human is asked: data.decision, prompt, options, default, timeout_seconds, can_skip, context");
        c.put(DECISION_RESOLVED, "the decision was answered or timed out: data.decision, choice, by");
        c.put(AGENT_THINKING, "an agent's (or the manager's) reasoning: data.content");
        c.put(AGENT_ACTION, "an agent is acting: data.content");
        c.put(AGENT_RESULT, "an agent's action produced a result: data.content");
        c.put(AGENT_ERROR, "an agent reported an error: data.message");
        c.put(TOOL_CALL, "a tool is being called: data.tool, data.input, data.call; data.invalid and data.errors when refused as invalid");
        c.put(TOOL_RESULT, "a tool returned: data.tool, data.output or data.error, data.call, data.duration_ms, data.cache (hit, miss, bypass)");
        c.put(ANSWER_DELTA, "a chunk of streamed answer text: data.text");
        c.put(ANSWER_FINAL, "the final answer: data.text");
        c.put(CHAT_MESSAGE, "a whole chat message: data.role, data.content");
        c.put(WORKFLOW_STAGE, "the workflow moved to a stage: data.stage, stages, completion_percentage");
        c.put(WORKFLOW_ROUTE, "a router chose the pipeline for a request: data.pipeline (light or full), confidence, threshold, reason");
        c.put(MODEL_SELECTED, "a model was chosen for an agent: data.model, tier, reasoning");
        c.put(ERROR_RECOVERY, "an error is being recovered from (retry, fallback): data.error_message, strategy, attempt");
        c.put(QUALITY_CHECK, "a quality gate ran: data.score, passed");
        c.put(QUALITY_REVIEW, "a human review is requested: data.reason");
        c.put(METRICS_UPDATE, "metrics snapshot: data is free-form numbers");
        c.put(HEALTH_UPDATE, "health status changed: data.status");
        c.put(LOG_LINE, "a log line mirrored from the agent: data.level, data.message");
        CATALOGUE = java.util.Collections.unmodifiableMap(c);
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_\\-]+)+");

    private EventTypes() {}

    public static boolean isTerminal(String type) {
        return RUN_COMPLETED.equals(type) || RUN_FAILED.equals(type) || RUN_CANCELLED.equals(type);
    }

    /** True when producers may publish this type: a catalogue name or a well-formed {@code x.} name. */
    public static boolean isPublishable(String type) {
        if (type == null || type.length() > 128) return false;
        if (CATALOGUE.containsKey(type)) return true;
        return type.startsWith(CUSTOM_PREFIX) && NAME.matcher(type).matches();
    }
}
