package io.runcast.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.agent.Decision;
import io.runcast.control.Harness;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanExecutorTest {
    private final Harness h = new Harness();
    private final PlanExecutor executor = new PlanExecutor(h.engine, h.control, ExecutorConfig.DEFAULT.withStepTimeout(Duration.ofSeconds(10)));

    @AfterEach
    void close() {
        executor.close();
        h.close();
    }

    private static final Agent THREE_PROGRESS = ctx -> {
        for (int p : new int[] {25, 50, 75}) ctx.progress(p, "working " + p);
        return TextNode.valueOf("done " + ctx.step());
    };

    private Event finish(RunExecution r) throws Exception {
        return r.done().get(10, TimeUnit.SECONDS);
    }

    @Test
    void seed001_threeStepPlan_yieldsDocumentedLifecycle() throws Exception {
        Plan plan = Plan.of("Research query",
                Step.of("step_1", "researcher", THREE_PROGRESS),
                Step.of("step_2", "researcher", THREE_PROGRESS, "step_1"),
                Step.of("step_3", "researcher", THREE_PROGRESS, "step_2"));
        Event end = finish(executor.start("plan_123", plan));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<String> types = h.types("plan_123");
        // 17 events as in seed 001: plan started + 3 × (started, 3 × progress, completed) + plan completed.
        assertThat(types).hasSize(17);
        assertThat(types.get(0)).isEqualTo(EventTypes.RUN_STARTED);
        assertThat(types.stream().filter(EventTypes.STEP_STARTED::equals)).hasSize(3);
        assertThat(types.stream().filter(EventTypes.STEP_PROGRESS::equals)).hasSize(9);
        assertThat(types.stream().filter(EventTypes.STEP_COMPLETED::equals)).hasSize(3);
        assertThat(types.get(16)).isEqualTo(EventTypes.RUN_COMPLETED);
        var summary = end.dataNode().path("summary");
        assertThat(summary.path("steps_ms").size()).isEqualTo(3);
        assertThat(summary.has("time_to_first_event_ms")).isTrue();
        assertThat(summary.has("time_to_done_ms")).isTrue();
        assertThat(h.events("plan_123").get(5).dataNode().has("duration_ms")).isTrue();
    }

    @Test
    void independentSteps_runInParallel_upToTheLimit() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        Semaphore go = new Semaphore(0);
        Agent held = ctx -> {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            go.acquire(); // every agent waits for the test, so a step over the limit would be seen running
            now.decrementAndGet();
            return null;
        };
        Step[] steps = new Step[6];
        for (int i = 0; i < 6; i++) steps[i] = Step.of("s" + i, "a", held);
        PlanExecutor two = new PlanExecutor(h.engine, h.control, ExecutorConfig.DEFAULT.withParallelism(2));
        try {
            RunExecution r = two.start("par", Plan.of("q", steps));
            await().atMost(Duration.ofSeconds(5)).until(() -> now.get() >= 2);
            go.release(6);
            assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_COMPLETED);
        } finally {
            two.close();
        }
        // In the stream: at no point more than two steps started and not yet completed.
        int running = 0;
        int most = 0;
        for (String t : h.types("par")) {
            if (t.equals(EventTypes.STEP_STARTED)) most = Math.max(most, ++running);
            if (t.equals(EventTypes.STEP_COMPLETED)) running--;
        }
        assertThat(most).as("steps running at once, per the stream").isEqualTo(2);
        assertThat(max.get()).as("agents running at once").isEqualTo(2);
    }

    @Test
    void failingAttempt_isRetriedWithRecoveryEvents_thenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Agent flaky = ctx -> {
            if (calls.incrementAndGet() < 3) throw new IllegalStateException("rate limit");
            return IntNode.valueOf(ctx.attempt());
        };
        Step s = Step.of("s", "a", flaky).withRetry(Retry.times(3, Duration.ofMillis(20)));
        Event end = finish(executor.start("retry", Plan.of("q", s)));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> recoveries = h.events("retry").stream().filter(e -> e.type().equals(EventTypes.ERROR_RECOVERY)).toList();
        assertThat(recoveries).hasSize(2);
        assertThat(recoveries.get(0).dataNode().path("error_message").asText()).isEqualTo("rate limit");
        assertThat(recoveries.get(1).dataNode().path("backoff_ms").asLong()).isEqualTo(40);
        assertThat(end.dataNode().path("summary").path("retries").asInt()).isEqualTo(2);
    }

    @Test
    void agentThatThrows_failsStepAndRun_withReason() throws Exception {
        Plan plan = Plan.of("q", Step.of("a", "x", ctx -> { throw new RuntimeException("boom"); }),
                Step.of("b", "x", THREE_PROGRESS, "a"));
        Event end = finish(executor.start("throws", plan));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_FAILED);
        assertThat(end.dataNode().path("reason").asText()).contains("boom");
        assertThat(h.types("throws")).containsExactly(EventTypes.RUN_STARTED, EventTypes.STEP_STARTED,
                EventTypes.STEP_FAILED, EventTypes.RUN_FAILED);
    }

    @Test
    void agentHangingPastTimeout_ignoringInterrupts_failsTheRun() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Agent hang = ctx -> {
            while (true) {
                try {
                    never.await();
                } catch (InterruptedException ignored) {
                    // a badly behaved agent
                }
            }
        };
        Step s = Step.of("h", "x", hang).withTimeout(Duration.ofMillis(200));
        Event end = finish(executor.start("hang", Plan.of("q", s)));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_FAILED);
        assertThat(end.dataNode().path("reason").asText()).contains("timed out");
        Event failed = h.events("hang").get(2);
        assertThat(failed.dataNode().path("timed_out").asBoolean()).isTrue();
    }

    @Test
    void cancel_whileAgentBlocked_interruptsIt_andEndsCancelled() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Agent waits = ctx -> {
            blocked.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return null;
        };
        RunExecution r = executor.start("cancel", Plan.of("q", Step.of("w", "x", waits), Step.of("next", "x", THREE_PROGRESS, "w")));
        assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
        Event e = r.cancel("tester", "enough").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(e.type()).isEqualTo(EventTypes.RUN_CANCELLED);
        assertThat(e.dataNode().path("summary").has("time_to_done_ms")).isTrue();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_CANCELLED);
        // Final: the terminal event closed the run, so nothing can be appended after it.
        assertThat(h.types("cancel")).containsExactly(EventTypes.RUN_STARTED, EventTypes.STEP_STARTED, EventTypes.RUN_CANCELLED);
    }

    @Test
    void pause_stopsNewSteps_untilResumed() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseKeeper = new CountDownLatch(1);
        Agent first = ctx -> {
            running.countDown();
            releaseFirst.await();
            return null;
        };
        // Runs beside "a" and finishes after it: the executor handles its completion after it has made
        // its choice about "b" (both happen under the run's lock), so its step.completed in the stream
        // marks the point by which "b" would have started had the pause not held it back.
        Agent keeper = ctx -> {
            running.countDown();
            releaseKeeper.await();
            return null;
        };
        RunExecution r = executor.start("pause", Plan.of("q", Step.of("a", "x", first), Step.of("k", "x", keeper),
                Step.of("b", "x", THREE_PROGRESS, "a")));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        r.pause("tester").toCompletableFuture().join();
        long pausedAt = System.nanoTime();
        releaseFirst.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed("pause").contains("a"));
        releaseKeeper.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> completed("pause").contains("k"));
        assertThat(h.events("pause")).as("b held back while paused, past the point it would have started")
                .noneMatch(e -> e.type().equals(EventTypes.STEP_STARTED) && "b".equals(e.step()));
        long pausedFor = (System.nanoTime() - pausedAt) / 1_000_000;
        r.resume("tester").toCompletableFuture().join();
        Event end = finish(r);
        assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
        List<Event> events = h.events("pause");
        int resumed = indexOf(events, EventTypes.RUN_RESUMED, null);
        assertThat(indexOf(events, EventTypes.STEP_COMPLETED, "a")).isLessThan(indexOf(events, EventTypes.STEP_COMPLETED, "k"));
        assertThat(indexOf(events, EventTypes.STEP_STARTED, "b")).as("b starts after run.resumed").isGreaterThan(resumed);
        assertThat(end.dataNode().path("summary").path("paused_ms").asLong()).isGreaterThanOrEqualTo(pausedFor);
    }

    private List<String> completed(String run) {
        return h.events(run).stream().filter(e -> e.type().equals(EventTypes.STEP_COMPLETED)).map(Event::step).toList();
    }

    private static int indexOf(List<Event> events, String type, String step) {
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (e.type().equals(type) && (step == null || step.equals(e.step()))) return i;
        }
        throw new AssertionError("no " + type + (step == null ? "" : " of " + step) + " in " + events.stream().map(Event::type).toList());
    }

    @Test
    void decide_blocksUntilAnswered_andReturnsTheChoice() throws Exception {
        Agent asks = ctx -> {
            Decision d = ctx.decide("Go?", List.of("yes", "no"), "no", Duration.ofSeconds(30), false, null);
            return TextNode.valueOf(d.text() + " by " + d.by());
        };
        RunExecution r = executor.start("decide", Plan.of("q", Step.of("ask", "x", asks)));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.control.pendingDecisions("decide") == 1);
        String id = h.events("decide").stream().filter(e -> e.type().equals(EventTypes.DECISION_REQUESTED))
                .findFirst().orElseThrow().dataNode().path("decision").asText();
        h.control.decide("decide", id, TextNode.valueOf("yes"), "alice").toCompletableFuture().join();
        assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_COMPLETED);
        assertThat(h.events("decide").stream().filter(e -> e.type().equals(EventTypes.STEP_COMPLETED)).findFirst().orElseThrow()
                .dataNode().path("result").asText()).isEqualTo("yes by alice");
    }

    @Test
    void decisionTimeout_withoutDefault_failsTheStep() throws Exception {
        Agent asks = ctx -> {
            ctx.decide("Go?", List.of("yes"), null, Duration.ofMillis(100), false, null);
            return null;
        };
        Step s = Step.of("ask", "x", asks).withRetry(Retry.times(3, Duration.ofMillis(10)));
        Event end = finish(executor.start("dto", Plan.of("q", s)));
        assertThat(end.type()).isEqualTo(EventTypes.RUN_FAILED);
        assertThat(end.dataNode().path("reason").asText()).contains("timed out with no default");
        assertThat(h.types("dto")).doesNotContain(EventTypes.ERROR_RECOVERY);
    }

    @Test
    void cancel_whileWaitingForAHuman_endsCancelled() throws Exception {
        Agent asks = ctx -> {
            ctx.decide("Go?", List.of("yes"), null, null, false, null);
            return null;
        };
        RunExecution r = executor.start("dcancel", Plan.of("q", Step.of("ask", "x", asks)));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.control.pendingDecisions("dcancel") == 1);
        r.cancel("tester", null).toCompletableFuture().join();
        assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_CANCELLED);
    }

    @Test
    void shutdown_failsRunningRuns_withReason() throws Exception {
        PlanExecutor own = new PlanExecutor(h.engine, h.control, ExecutorConfig.DEFAULT);
        CountDownLatch running = new CountDownLatch(1);
        RunExecution r = own.start("shut", Plan.of("q", Step.of("w", "x", ctx -> {
            running.countDown();
            ctx.sleep(Duration.ofMinutes(1));
            return null;
        })));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        own.close();
        Event end = finish(r);
        assertThat(end.type()).isEqualTo(EventTypes.RUN_FAILED);
        assertThat(end.dataNode().path("reason").asText()).isEqualTo("executor shutdown");
    }

    @Test
    void cancelRacingTheStart_isNeverLost_andNoAgentKeepsRunning() throws Exception {
        AtomicInteger runningAgents = new AtomicInteger();
        Agent worker = ctx -> {
            runningAgents.incrementAndGet();
            try {
                ctx.sleep(Duration.ofSeconds(30));
            } finally {
                runningAgents.decrementAndGet();
            }
            return null;
        };
        for (int i = 0; i < 200; i++) {
            String run = "race-" + i;
            RunExecution r = executor.start(run, Plan.of("q", Step.of("a", "x", worker), Step.of("b", "x", worker)));
            if (i % 2 == 1) Thread.onSpinWait();
            Event e = r.cancel("racer", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(e.type()).isEqualTo(EventTypes.RUN_CANCELLED);
            assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_CANCELLED);
            List<String> types = h.types(run);
            assertThat(types.stream().filter(EventTypes::isTerminal)).hasSize(1);
            assertThat(types.get(types.size() - 1)).isEqualTo(EventTypes.RUN_CANCELLED);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> runningAgents.get() == 0);
    }

    @Test
    void pausedRun_whoseLastStepFinishes_stillCompletes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RunExecution r = executor.start("pause-last", Plan.of("q", Step.of("only", "x", ctx -> {
            running.countDown();
            release.await();
            return null;
        })));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        r.pause("tester").toCompletableFuture().join();
        release.countDown();
        assertThat(finish(r).type()).isEqualTo(EventTypes.RUN_COMPLETED);
    }
}
