package io.runcast.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.config.RuncastConfig;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.Plan;
import io.runcast.exec.PlanExecutor;
import io.runcast.exec.RunExecution;
import io.runcast.exec.Step;
import io.runcast.server.RuncastServer;
import io.runcast.store.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher inside real runs: an in-process server (memory store) and the plan executor; a step's
 * agent dispatches calls the way a chat agent would, and the test reads the run's stored events.
 */
class ToolDispatcherTest {
    private static RuncastServer server;
    private static PlanExecutor executor;

    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicInteger addCalls = new AtomicInteger();
    private final AtomicInteger counterCalls = new AtomicInteger();
    private final AtomicInteger secretCalls = new AtomicInteger();
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch slowInterrupted = new CountDownLatch(1);
    private final CountDownLatch slowClosed = new CountDownLatch(1);
    private final ToolRegistry registry = new ToolRegistry()
            .register(Tool.named("add").describedAs("Adds.").parameters(ToolRegistryTest.ADD_SCHEMA).cachedFor(Duration.ofMinutes(5))
                    .handler((args, ctx) -> {
                        addCalls.incrementAndGet();
                        return args.get("a").asInt() + args.get("b").asInt();
                    }))
            .register(Tool.named("counter").describedAs("Counts its calls.").cachedFor(Duration.ofMinutes(1))
                    .handler((args, ctx) -> counterCalls.incrementAndGet()))
            .register(Tool.named("secret").describedAs("Needs a yes.").needsApproval()
                    .parameters("{\"type\":\"object\",\"properties\":{\"note\":{\"type\":\"string\"}}}")
                    .handler((args, ctx) -> "kept " + args.path("note").asText() + " #" + secretCalls.incrementAndGet()))
            .register(Tool.named("boom").describedAs("Always fails.").handler((args, ctx) -> {
                throw new IllegalStateException("kaput");
            }))
            .register(Tool.named("ints").describedAs("Takes integers.")
                    .parameters("{\"type\":\"object\",\"properties\":{\"xs\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}")
                    .handler((args, ctx) -> args))
            .register(Tool.named("big").describedAs("A long text.").handler((args, ctx) -> "z".repeat(100_000)))
            .register(Tool.named("slow").describedAs("Waits until stopped.").handler((args, ctx) -> {
                ctx.onCancel(slowClosed::countDown);
                slowStarted.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    slowInterrupted.countDown();
                    throw e;
                }
                return null;
            }));
    private final ToolDispatcher dispatcher = new ToolDispatcher(registry, new ToolCache(clock, 100, 1_000_000));
    private final List<ToolResult> results = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() {
        server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build());
        executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT.withStepTimeout(Duration.ofSeconds(20)));
    }

    @AfterAll
    static void stopServer() {
        executor.close();
        server.close();
    }

    @AfterEach
    void closeDispatcher() {
        dispatcher.close();
    }

    /** Starts a run whose one step dispatches the calls in order, collecting what the dispatcher returns. */
    private RunExecution start(String run, CallOptions opts, ToolCall... calls) {
        return executor.start(run, Plan.of("tools", Step.of("chat", "assistant", ctx -> {
            for (ToolCall c : calls) results.add(dispatcher.dispatch(c, ctx, opts));
            return null;
        })));
    }

    private Event finish(RunExecution r) throws Exception {
        return r.done().get(20, TimeUnit.SECONDS);
    }

    private static List<Event> events(String run) {
        return server.engine().read(run, 0, 1000).events();
    }

    /** The tool and decision events of a run, in order. */
    private static List<Event> toolEvents(String run) {
        return events(run).stream().filter(e -> e.type().startsWith("tool.") || e.type().startsWith("decision.")).toList();
    }

    private static List<String> types(List<Event> events) {
        return events.stream().map(Event::type).toList();
    }

    @Test
    void validCall_streamsCallThenResult_andReturnsTheOutputForTheModel() throws Exception {
        Event end = finish(start("t-valid", CallOptions.DEFAULT, new ToolCall("c1", "add", "{\"a\": 2, \"b\": 3}")));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> ev = toolEvents("t-valid");
        assertThat(types(ev)).containsExactly(EventTypes.TOOL_CALL, EventTypes.TOOL_RESULT);
        ObjectNode call = ev.get(0).dataNode();
        assertThat(call).isEqualTo(Json.parse("{\"tool\":\"add\",\"input\":{\"a\":2,\"b\":3},\"call\":\"c1\"}"));
        assertThat(ev.get(0).step()).isEqualTo("chat");
        assertThat(ev.get(0).agent()).isEqualTo("assistant");
        ObjectNode result = ev.get(1).dataNode();
        assertThat(result.path("tool").asText()).isEqualTo("add");
        assertThat(result.path("output").asInt()).isEqualTo(5);
        assertThat(result.path("call").asText()).isEqualTo("c1");
        assertThat(result.path("cache").asText()).isEqualTo("miss");
        assertThat(result.has("duration_ms")).isTrue();
        assertThat(result.has("error")).isFalse();

        ToolResult r = results.get(0);
        assertThat(r.ok()).isTrue();
        assertThat(r.content()).isEqualTo("5");
        assertThat(r.call()).isEqualTo("c1");
        assertThat(addCalls.get()).isEqualTo(1);
        assertThat(end.dataNode().path("summary").path("tool_calls_by_tool").path("add").asInt()).isEqualTo(1);
    }

    @Test
    void argumentsViolatingTheSchema_flagTheCall_answerWithAnError_andNeverRunTheTool() throws Exception {
        Event end = finish(start("t-invalid", CallOptions.DEFAULT, new ToolCall("c1", "add", "{\"a\": \"two\"}")));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> ev = toolEvents("t-invalid");
        assertThat(types(ev)).containsExactly(EventTypes.TOOL_CALL, EventTypes.TOOL_RESULT);
        ObjectNode call = ev.get(0).dataNode();
        assertThat(call.path("invalid").asBoolean()).isTrue();
        assertThat(call.path("input")).isEqualTo(Json.parse("{\"a\":\"two\"}"));
        assertThat(call.path("errors").toString()).contains("$.a").contains("'b'");
        assertThat(ev.get(1).dataNode().path("error").asText()).startsWith("invalid arguments for add: ");
        assertThat(ev.get(1).dataNode().path("call").asText()).isEqualTo("c1");
        assertThat(addCalls.get()).isZero();

        ToolResult r = results.get(0);
        assertThat(r.invalid()).isTrue();
        assertThat(r.errors()).hasSize(2);
        assertThat(Json.parse(r.content()).path("error").asText()).contains("$.a");
    }

    @Test
    void manyViolations_areCappedWithACount() throws Exception {
        String xs = String.join(",", java.util.Collections.nCopies(30, "\"x\""));
        finish(start("t-many", CallOptions.DEFAULT, new ToolCall("c1", "ints", "{\"xs\":[" + xs + "]}")));
        JsonNode errors = toolEvents("t-many").get(0).dataNode().path("errors");
        assertThat(errors.size()).isEqualTo(ToolDispatcher.MAX_ERRORS + 1);
        assertThat(errors.get(0).asText()).startsWith("$.xs[0]");
        assertThat(errors.get(ToolDispatcher.MAX_ERRORS).asText()).isEqualTo("… and 10 more");
        assertThat(results.get(0).errors()).hasSize(ToolDispatcher.MAX_ERRORS + 1);
    }

    @Test
    void malformedJson_isFlagged_withTheRawTextAsInput() throws Exception {
        finish(start("t-json", CallOptions.DEFAULT, new ToolCall("c1", "add", "{\"a\": 2,")));
        List<Event> ev = toolEvents("t-json");
        assertThat(types(ev)).containsExactly(EventTypes.TOOL_CALL, EventTypes.TOOL_RESULT);
        assertThat(ev.get(0).dataNode().path("input")).isEqualTo(TextNode.valueOf("{\"a\": 2,"));
        assertThat(ev.get(0).dataNode().path("invalid").asBoolean()).isTrue();
        assertThat(ev.get(0).dataNode().path("errors").get(0).asText()).startsWith("arguments are not valid JSON");
        assertThat(addCalls.get()).isZero();
        assertThat(results.get(0).invalid()).isTrue();
    }

    @Test
    void unknownTool_isFlagged_andTheModelIsToldWhichToolsExist() throws Exception {
        Event end = finish(start("t-unknown", CallOptions.DEFAULT, new ToolCall("c1", "multiply", "{}")));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> ev = toolEvents("t-unknown");
        assertThat(ev.get(0).dataNode().path("invalid").asBoolean()).isTrue();
        assertThat(ev.get(1).dataNode().path("error").asText()).contains("unknown tool 'multiply'").contains("add, counter");
        assertThat(results.get(0).invalid()).isTrue();
    }

    @Test
    void approvalGranted_asksWithTheToolAndItsArguments_thenRunsIt() throws Exception {
        RunExecution r = start("t-approve", CallOptions.DEFAULT, new ToolCall("c1", "secret", "{\"note\":\"milk\"}"));
        Event asked = awaitDecision("t-approve");
        ObjectNode q = asked.dataNode();
        assertThat(q.path("options")).isEqualTo(Json.parse("[\"approve\",\"deny\"]"));
        assertThat(q.path("default").asText()).isEqualTo("deny");
        assertThat(q.path("timeout_seconds").asDouble()).isEqualTo(120.0);
        assertThat(q.path("context")).isEqualTo(Json.parse("{\"tool\":\"secret\",\"arguments\":{\"note\":\"milk\"},\"call\":\"c1\"}"));
        assertThat(secretCalls.get()).as("nothing runs before the answer").isZero();
        server.streamControl().decide("t-approve", q.path("decision").asText(), TextNode.valueOf("approve"), "alice")
                .toCompletableFuture().join();

        assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> ev = toolEvents("t-approve");
        assertThat(types(ev)).containsExactly(EventTypes.TOOL_CALL, EventTypes.DECISION_REQUESTED,
                EventTypes.DECISION_RESOLVED, EventTypes.TOOL_RESULT);
        assertThat(ev.get(3).dataNode().path("output").asText()).isEqualTo("kept milk #1");
        assertThat(ev.get(3).dataNode().has("cache")).as("secret is not cached").isFalse();
        assertThat(results.get(0).ok()).isTrue();
        assertThat(secretCalls.get()).isEqualTo(1);
    }

    @Test
    void approvalDenied_neverRunsTheTool_andSaysWhoRefused() throws Exception {
        RunExecution r = start("t-deny", CallOptions.DEFAULT, new ToolCall("c1", "secret", "{\"note\":\"milk\"}"));
        Event asked = awaitDecision("t-deny");
        server.streamControl().decide("t-deny", asked.dataNode().path("decision").asText(), TextNode.valueOf("deny"), "bob")
                .toCompletableFuture().join();

        assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> ev = toolEvents("t-deny");
        assertThat(types(ev)).containsExactly(EventTypes.TOOL_CALL, EventTypes.DECISION_REQUESTED,
                EventTypes.DECISION_RESOLVED, EventTypes.TOOL_RESULT);
        ObjectNode res = ev.get(3).dataNode();
        assertThat(res.path("error").asText()).isEqualTo("denied by bob");
        assertThat(res.path("denied").asBoolean()).isTrue();
        assertThat(res.has("output")).isFalse();
        assertThat(secretCalls.get()).isZero();
        assertThat(results.get(0).denied()).isTrue();
        assertThat(results.get(0).content()).isEqualTo("{\"error\":\"denied by bob\"}");
    }

    @Test
    void noAnswerInTime_deniesByDefault() throws Exception {
        CallOptions quick = CallOptions.DEFAULT.withApprovalTimeout(Duration.ofMillis(300));
        Event end = finish(start("t-timeout", quick, new ToolCall("c1", "secret", "{}")));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> ev = toolEvents("t-timeout");
        assertThat(ev.get(2).dataNode().path("by").asText()).isEqualTo("timeout");
        assertThat(ev.get(3).dataNode().path("error").asText()).startsWith("denied by timeout");
        assertThat(secretCalls.get()).isZero();
        assertThat(results.get(0).denied()).isTrue();
    }

    @Test
    void aSecondIdenticalCall_isACacheHit_evenWrittenDifferently() throws Exception {
        Event end = finish(start("t-cache", CallOptions.DEFAULT,
                new ToolCall("c1", "add", "{\"a\": 2, \"b\": 3}"),
                new ToolCall("c2", "add", "{\"b\": 3.0, \"a\": 2}")));
        List<Event> ev = toolEvents("t-cache");
        assertThat(types(ev)).containsExactly(EventTypes.TOOL_CALL, EventTypes.TOOL_RESULT, EventTypes.TOOL_CALL, EventTypes.TOOL_RESULT);
        assertThat(ev.get(1).dataNode().path("cache").asText()).isEqualTo("miss");
        assertThat(ev.get(3).dataNode().path("cache").asText()).isEqualTo("hit");
        assertThat(ev.get(3).dataNode().path("output").asInt()).isEqualTo(5);
        assertThat(ev.get(3).dataNode().path("call").asText()).isEqualTo("c2");
        assertThat(addCalls.get()).isEqualTo(1);
        assertThat(results.get(1).cached()).isTrue();
        assertThat(dispatcher.cache().hits()).isEqualTo(1);
        assertThat(dispatcher.cache().misses()).isEqualTo(1);
        JsonNode summary = end.dataNode().path("summary");
        assertThat(summary.path("tool_cache_hits").asInt()).isEqualTo(1);
        assertThat(summary.path("tool_cache_misses").asInt()).isEqualTo(1);
    }

    @Test
    void fresh_bypassesTheCache_andRefreshesTheEntry_whichExpiresWithItsTtl() throws Exception {
        ToolCall c = new ToolCall("c", "counter", "");
        finish(start("t-fresh-1", CallOptions.DEFAULT, c));
        finish(start("t-fresh-2", CallOptions.DEFAULT.withFresh(true), c));
        finish(start("t-fresh-3", CallOptions.DEFAULT, c));
        assertThat(results).extracting(ToolResult::content).containsExactly("1", "2", "2");
        assertThat(results).extracting(ToolResult::cache)
                .containsExactly(ToolResult.Cache.MISS, ToolResult.Cache.BYPASS, ToolResult.Cache.HIT);
        assertThat(toolEvents("t-fresh-2").get(1).dataNode().path("cache").asText()).isEqualTo("bypass");

        clock.advance(Duration.ofMinutes(1)); // counter's TTL
        finish(start("t-fresh-4", CallOptions.DEFAULT, c));
        assertThat(results.get(3).content()).isEqualTo("3");
        assertThat(results.get(3).cache()).isEqualTo(ToolResult.Cache.MISS);
        assertThat(counterCalls.get()).isEqualTo(3);
    }

    @Test
    void aToolThatThrows_becomesAnErrorResult_andTheRunGoesOn() throws Exception {
        Event end = finish(start("t-boom", CallOptions.DEFAULT, new ToolCall("c1", "boom", ""), new ToolCall("c2", "add", "{\"a\":1,\"b\":1}")));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> ev = toolEvents("t-boom");
        assertThat(ev.get(1).dataNode().path("error").asText()).isEqualTo("kaput");
        assertThat(ev.get(1).dataNode().has("timed_out")).isFalse();
        assertThat(results.get(0).status()).isEqualTo(ToolResult.Status.FAILED);
        assertThat(results.get(0).content()).isEqualTo("{\"error\":\"kaput\"}");
        assertThat(results.get(1).ok()).isTrue();
    }

    @Test
    void aToolPastItsTimeout_isInterruptedAndClosed_andReportedAsTimedOut() throws Exception {
        CallOptions quick = CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200));
        Event end = finish(start("t-slow", quick, new ToolCall("c1", "slow", "")));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        ObjectNode res = toolEvents("t-slow").get(1).dataNode();
        assertThat(res.path("timed_out").asBoolean()).isTrue();
        assertThat(res.path("error").asText()).isEqualTo("slow timed out after 200 ms");
        assertThat(slowInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(slowClosed.getCount()).as("the tool's onCancel resource was closed").isZero();
        assertThat(results.get(0).status()).isEqualTo(ToolResult.Status.FAILED);
    }

    @Test
    void cancellingTheRun_duringACall_propagates_andStopsTheTool() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        RunExecution r = executor.start("t-cancel", Plan.of("tools", Step.of("chat", "assistant", ctx -> {
            try {
                results.add(dispatcher.dispatch(new ToolCall("c1", "slow", ""), ctx));
            } catch (Exception e) {
                seen.set(e);
                throw e;
            }
            return null;
        })));
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        r.cancel("tester", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_CANCELLED);
        assertThat(slowInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(slowClosed.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.get() != null);
        assertThat(seen.get()).isInstanceOfAny(InterruptedException.class, java.util.concurrent.CancellationException.class);
        assertThat(results).as("a cancelled call is not a result").isEmpty();
        assertThat(types(toolEvents("t-cancel"))).containsExactly(EventTypes.TOOL_CALL);
    }

    @Test
    void aHugeOutput_isShortenedInTheEventOnly() throws Exception {
        Event end = finish(start("t-big", CallOptions.DEFAULT, new ToolCall("c1", "big", "")));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        ObjectNode res = toolEvents("t-big").get(1).dataNode();
        assertThat(res.path("output_truncated").asBoolean()).isTrue();
        assertThat(res.path("output").asText()).hasSizeLessThan(3_000).startsWith("zzz");
        assertThat(results.get(0).content()).hasSize(100_002);
    }

    private static Event awaitDecision(String run) {
        AtomicReference<Event> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            events(run).stream().filter(e -> e.type().equals(EventTypes.DECISION_REQUESTED)).findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }
}
