package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.AgentContext;
import io.runcast.agent.Decision;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.producer.RunHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tool calls a model makes, inside an agent's step, and streams each one. Chat agents call
 * {@link #dispatch} for every tool call and hand {@link ToolResult#content()} back to the model.
 *
 * <h2>Contract</h2>
 * For one call, in this order:
 * <ol>
 *   <li>The arguments text is parsed (blank means {@code {}}), the tool looked up and the arguments
 *       validated against its schema.</li>
 *   <li>{@code tool.call} is streamed ({@code tool}, {@code input}, {@code call}). When the call is
 *       unknown, malformed or violates the schema, that event also carries {@code "invalid": true} and
 *       {@code errors}, its {@code input} is the raw text if it did not parse, a {@code tool.result} with
 *       {@code error} follows and the tool never runs ({@link ToolResult.Status#INVALID}).</li>
 *   <li>A tool that {@link Tool#requiresApproval() requires approval} asks through
 *       {@link AgentContext#decide}: options {@code approve}/{@code deny}, default {@code deny} after
 *       {@link CallOptions#approvalTimeout()}, {@code context} = {@code {tool, arguments, call}}. Anything
 *       but {@code approve} ends the call with a {@code tool.result} whose {@code error} names who refused
 *       and {@code "denied": true} ({@link ToolResult.Status#DENIED}).</li>
 *   <li>A cached tool's result is looked up, unless {@link CallOptions#fresh()}; a hit is streamed with
 *       {@code "cache": "hit"} and the tool does not run.</li>
 *   <li>The tool runs on a dispatcher thread for at most {@link CallOptions#timeout()}; the result is
 *       cached (cached tools, success only) and {@code tool.result} streamed with {@code output} or
 *       {@code error}, {@code call}, {@code duration_ms} (time spent running the tool, 0 when it did not
 *       run) and, for cached tools, {@code cache}: {@code miss} or {@code bypass}. A timeout adds
 *       {@code "timed_out": true}.</li>
 * </ol>
 * <ul>
 *   <li><b>Errors.</b> Nothing a model sends and nothing a tool throws escapes {@code dispatch}: both
 *       become results the model is told about.</li>
 *   <li><b>Cancellation.</b> When the run is cancelled or the step's attempt ends, {@code dispatch} throws
 *       {@link CancellationException} or {@link InterruptedException} (never a result), after interrupting
 *       the tool and closing what it registered with {@link ToolContext#onCancel}. A tool that ignores
 *       both is abandoned on its thread, not waited for.</li>
 *   <li><b>Events.</b> All events go through the agent's {@code ctx.out()} from the calling thread, so
 *       they are in call order. Long inputs and outputs are shortened in events only
 *       ({@code input_truncated}/{@code output_truncated}); the model always gets the whole output.</li>
 *   <li><b>Threading.</b> Thread-safe: several agents may dispatch through one dispatcher at once.</li>
 * </ul>
 */
public final class ToolDispatcher implements AutoCloseable {
    public static final String APPROVE = "approve";
    public static final String DENY = "deny";
    private static final List<String> APPROVAL_OPTIONS = List.of(APPROVE, DENY);
    static final int MAX_ERRORS = 20;
    private static final Logger log = LoggerFactory.getLogger(ToolDispatcher.class);

    private final ToolRegistry registry;
    private final ToolCache cache;
    private final ExecutorService pool;

    /** With a cache of its own on the system clock. */
    public ToolDispatcher(ToolRegistry registry) {
        this(registry, new ToolCache());
    }

    public ToolDispatcher(ToolRegistry registry, ToolCache cache) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.cache = Objects.requireNonNull(cache, "cache");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runcast-tool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public ToolRegistry registry() {
        return registry;
    }

    public ToolCache cache() {
        return cache;
    }

    public ToolResult dispatch(ToolCall call, AgentContext ctx) throws InterruptedException {
        return dispatch(call, ctx, CallOptions.DEFAULT);
    }

    /** Runs one call; see the class contract. */
    public ToolResult dispatch(ToolCall call, AgentContext ctx, CallOptions opts) throws InterruptedException {
        RunHandle out = ctx.out();
        String id = call.id();
        String name = call.name();
        Tool tool = registry.find(name).orElse(null);
        Checked checked = check(call, tool);
        out.emit(EventTypes.TOOL_CALL, callData(name, checked.input(), id, checked.errors()));
        if (!checked.errors().isEmpty()) {
            String error = (tool == null ? "" : "invalid arguments for " + name + ": ") + String.join("; ", checked.errors());
            out.emit(EventTypes.TOOL_RESULT, resultData(name, id, null, error, 0, null));
            return new ToolResult(id, name, ToolResult.Status.INVALID, null, error, checked.errors(), null);
        }
        if (tool.requiresApproval()) {
            Optional<String> refused = askApproval(name, checked.args(), id, ctx, opts.approvalTimeout());
            if (refused.isPresent()) {
                ObjectNode d = resultData(name, id, null, refused.get(), 0, null);
                d.put("denied", true);
                out.emit(EventTypes.TOOL_RESULT, d);
                return new ToolResult(id, name, ToolResult.Status.DENIED, null, refused.get(), List.of(), null);
            }
        }
        return execute(tool, checked.args(), id, ctx, opts);
    }

    /** Stops the dispatcher's threads (interrupting tools still running). */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    // ---- steps of a call ---------------------------------------------------------------------

    /** The parsed arguments (null when unparseable), what tool.call shows as input, and what is wrong. */
    private record Checked(JsonNode args, JsonNode input, List<String> errors) {}

    private Checked check(ToolCall call, Tool tool) {
        List<String> errors = new ArrayList<>();
        JsonNode args = null;
        String text = call.arguments();
        if (text.isBlank()) {
            args = Json.object(); // OpenAI-compatible servers send "" for a function without parameters
        } else {
            try {
                args = Json.parse(text);
            } catch (IllegalArgumentException e) {
                errors.add("arguments are not valid JSON: " + e.getMessage());
            }
        }
        if (tool == null) {
            errors.add("unknown tool '" + call.name() + "'; available: " + String.join(", ", registry.names()));
        } else if (args != null) {
            errors.addAll(validate(call.name(), args));
        }
        return new Checked(args, args != null ? args : TextNode.valueOf(text), errors);
    }

    /** Cache lookup, then the tool itself; streams the tool.result. */
    private ToolResult execute(Tool tool, JsonNode args, String id, AgentContext ctx, CallOptions opts) throws InterruptedException {
        RunHandle out = ctx.out();
        String name = tool.name();
        Duration ttl = tool.cacheTtl();
        String key = ttl.isZero() ? null : cacheKey(tool, args);
        ToolResult.Cache use = null;
        if (key != null) {
            use = opts.fresh() ? ToolResult.Cache.BYPASS : ToolResult.Cache.MISS;
            if (!opts.fresh()) {
                long t0 = System.nanoTime();
                Optional<JsonNode> hit = cache.get(name, key);
                if (hit.isPresent()) {
                    out.emit(EventTypes.TOOL_RESULT, resultData(name, id, hit.get(), null, millisSince(t0), ToolResult.Cache.HIT));
                    return new ToolResult(id, name, ToolResult.Status.OK, hit.get(), null, List.of(), ToolResult.Cache.HIT);
                }
            }
        }
        long t0 = System.nanoTime();
        Ran ran = run(tool, args, id, ctx, opts.timeout());
        long ms = millisSince(t0);
        if (ran.error == null) {
            if (key != null) cache.put(name, key, ran.output, ttl);
            out.emit(EventTypes.TOOL_RESULT, resultData(name, id, ran.output, null, ms, use));
            return new ToolResult(id, name, ToolResult.Status.OK, ran.output, null, List.of(), use);
        }
        ObjectNode d = resultData(name, id, null, ran.error, ms, use);
        if (ran.timedOut) d.put("timed_out", true);
        out.emit(EventTypes.TOOL_RESULT, d);
        return new ToolResult(id, name, ToolResult.Status.FAILED, null, ran.error, List.of(), use);
    }

    /** At most {@link #MAX_ERRORS} violations: enough for a model to fix its call, and an event stays small. */
    private List<String> validate(String name, JsonNode args) {
        List<String> all;
        try {
            all = registry.validate(name, args);
        } catch (RuntimeException e) {
            return List.of("arguments could not be validated: " + e.getMessage());
        }
        if (all.size() <= MAX_ERRORS) return all;
        List<String> some = new ArrayList<>(all.subList(0, MAX_ERRORS));
        some.add("… and " + (all.size() - MAX_ERRORS) + " more");
        return some;
    }

    /** Empty when approved, else why not (naming who refused). */
    private static Optional<String> askApproval(String name, JsonNode args, String id, AgentContext ctx, Duration timeout)
            throws InterruptedException {
        ObjectNode context = Json.object();
        context.put("tool", name);
        context.set("arguments", EventPreview.of(args).node());
        context.put("call", id);
        Decision d = ctx.decide("Allow the tool " + name + " to run with these arguments?", APPROVAL_OPTIONS, DENY,
                timeout, false, context);
        if (APPROVE.equals(d.text())) return Optional.empty();
        if (d.timedOut()) return Optional.of("denied by timeout: nobody approved " + name + " within " + timeout.toSeconds() + " s");
        return Optional.of("denied by " + d.by());
    }

    /** A key, or null when the tool's own cacheKey fails: the call then runs uncached rather than failing. */
    private static String cacheKey(Tool tool, JsonNode args) {
        try {
            return tool.cacheKey(args);
        } catch (RuntimeException e) {
            log.warn("tool {}: cacheKey failed, calling without the cache", tool.name(), e);
            return null;
        }
    }

    private record Ran(JsonNode output, String error, boolean timedOut) {}

    private Ran run(Tool tool, JsonNode args, String id, AgentContext ctx, Duration timeout) throws InterruptedException {
        CallScope scope = new CallScope(id, ctx);
        JsonNode copy = args.deepCopy(); // what the tool does to its arguments stays with it
        Future<JsonNode> f;
        try {
            f = pool.submit(() -> tool.call(copy, scope));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the tool dispatcher is closed", e);
        }
        try {
            JsonNode r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Ran(r == null ? NullNode.getInstance() : r, null, false);
        } catch (InterruptedException e) {
            stop(f, scope);
            throw e; // the run was cancelled or the attempt ended: not the tool's failure
        } catch (TimeoutException e) {
            stop(f, scope);
            if (ctx.cancelled()) throw new CancellationException("run cancelled during tool call " + id);
            return new Ran(null, tool.name() + " timed out after " + timeout.toMillis() + " ms", true);
        } catch (ExecutionException e) {
            // A tool that fails because the run is being cancelled is cancellation, not a tool error.
            if (ctx.cancelled()) throw new CancellationException("run cancelled during tool call " + id);
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new Ran(null, c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName(), false);
        }
    }

    private static void stop(Future<?> f, CallScope scope) {
        scope.abort();
        f.cancel(true);
    }

    // ---- event data --------------------------------------------------------------------------

    private static ObjectNode callData(String name, JsonNode input, String id, List<String> errors) {
        ObjectNode d = Json.object();
        d.put("tool", name);
        EventPreview p = EventPreview.of(input);
        d.set("input", p.node());
        if (p.truncated()) d.put("input_truncated", true);
        d.put("call", id);
        if (!errors.isEmpty()) {
            d.put("invalid", true);
            errors.forEach(d.putArray("errors")::add);
        }
        return d;
    }

    private static ObjectNode resultData(String name, String id, JsonNode output, String error, long ms, ToolResult.Cache cache) {
        ObjectNode d = Json.object();
        d.put("tool", name);
        if (error == null) {
            EventPreview p = EventPreview.of(output);
            d.set("output", p.node());
            if (p.truncated()) d.put("output_truncated", true);
        } else {
            d.put("error", error);
        }
        d.put("call", id);
        d.put("duration_ms", ms);
        if (cache != null) d.put("cache", cache.wire());
        return d;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
