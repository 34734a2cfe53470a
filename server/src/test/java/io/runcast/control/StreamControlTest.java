package io.runcast.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** On virtual time: decision timers are seen scheduled, cancelled or fired, never waited for. */
class StreamControlTest {
    private final ManualScheduler time = new ManualScheduler();
    private final Harness h = new Harness(time, time.clock());

    @AfterEach
    void close() {
        h.close();
    }

    private void start(String run) {
        h.engine.publish(run, EventDraft.of(EventTypes.RUN_STARTED, Json.object())).toCompletableFuture().join();
    }

    private void request(String run, String id, String options, String dflt, double timeout, boolean canSkip) {
        ObjectNode d = Json.object();
        d.put("decision", id);
        d.put("prompt", "Proceed?");
        d.set("options", Json.parse(options));
        if (dflt != null) d.set("default", Json.parse(dflt));
        d.put("timeout_seconds", timeout);
        d.put("can_skip", canSkip);
        h.engine.publish(run, EventDraft.of(EventTypes.DECISION_REQUESTED, d)).toCompletableFuture().join();
    }

    private static ErrorCode code(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
            return null;
        } catch (Exception e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            return c instanceof RuncastException r ? r.code() : ErrorCode.INTERNAL;
        }
    }

    @Test
    void cancel_unknownRun_isNotFound() {
        assertThat(code(h.control.cancel("nope", "c1", null))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(h.control.pause("nope", "c1"))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(h.control.decide("nope", "d1", TextNode.valueOf("a"), "c1"))).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void cancel_openRun_appendsCancelled_andLaterRequestsAreRunClosed() {
        start("r1");
        Event e = h.control.cancel("r1", "c1", "user asked").toCompletableFuture().join();
        assertThat(e.type()).isEqualTo(EventTypes.RUN_CANCELLED);
        assertThat(e.dataNode().path("by").asText()).isEqualTo("c1");
        assertThat(e.dataNode().path("reason").asText()).isEqualTo("user asked");
        assertThat(code(h.control.cancel("r1", "c2", null))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(code(h.control.pause("r1", "c2"))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(code(h.control.resume("r1", "c2"))).isEqualTo(ErrorCode.RUN_CLOSED);
        assertThat(h.types("r1")).containsExactly(EventTypes.RUN_STARTED, EventTypes.RUN_CANCELLED);
    }

    @Test
    void cancel_beforeFirstAppend_reachesTheWatcher_andIsRecorded() {
        List<String> seen = new ArrayList<>();
        h.control.watch("r2", new RunObserver() {
            @Override public void cancelRequested(String by, String reason) { seen.add("cancel:" + by); }
            @Override public void committed(Event event) { seen.add(event.type()); }
            @Override public ObjectNode cancelData() { ObjectNode o = Json.object(); o.put("summary", "s"); return o; }
        });
        Event e = h.control.cancel("r2", "c1", null).toCompletableFuture().join();
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.dataNode().path("summary").asText()).isEqualTo("s");
        assertThat(seen).containsExactly("cancel:c1", EventTypes.RUN_CANCELLED);
        // The executor's own start now fails: the cancel was not lost.
        assertThat(code(h.engine.publish("r2", EventDraft.of(EventTypes.RUN_STARTED, Json.object()))))
                .isEqualTo(ErrorCode.RUN_CLOSED);
    }

    @Test
    void pauseAndResume_appendLifecycleEvents_andUpdateStatus() {
        start("r3");
        assertThat(h.control.pause("r3", "c1").toCompletableFuture().join().type()).isEqualTo(EventTypes.RUN_PAUSED);
        assertThat(h.engine.info("r3").orElseThrow().status().wire()).isEqualTo("paused");
        assertThat(h.control.resume("r3", "c1").toCompletableFuture().join().type()).isEqualTo(EventTypes.RUN_RESUMED);
        assertThat(h.engine.info("r3").orElseThrow().status().wire()).isEqualTo("running");
    }

    @Test
    void decide_validatesAnswers_firstWins_laterAreClosed() {
        start("r4");
        request("r4", "d1", "[\"approve\",\"reject\"]", "\"approve\"", 0, false);
        assertThat(code(h.control.decide("r4", "zz", TextNode.valueOf("approve"), "c1"))).isEqualTo(ErrorCode.DECISION_NOT_FOUND);
        assertThat(code(h.control.decide("r4", "d1", TextNode.valueOf("maybe"), "c1"))).isEqualTo(ErrorCode.INVALID_CHOICE);
        assertThat(code(h.control.decide("r4", "d1", TextNode.valueOf("skip"), "c1"))).isEqualTo(ErrorCode.INVALID_CHOICE);
        assertThat(code(h.control.decide("r4", "d1", null, "c1"))).isEqualTo(ErrorCode.INVALID_CHOICE);
        Event e = h.control.decide("r4", "d1", TextNode.valueOf("reject"), "alice").toCompletableFuture().join();
        assertThat(e.type()).isEqualTo(EventTypes.DECISION_RESOLVED);
        assertThat(e.dataNode().path("choice").asText()).isEqualTo("reject");
        assertThat(e.dataNode().path("by").asText()).isEqualTo("alice");
        assertThat(e.dataNode().path("decision").asText()).isEqualTo("d1");
        assertThat(code(h.control.decide("r4", "d1", TextNode.valueOf("approve"), "bob"))).isEqualTo(ErrorCode.DECISION_CLOSED);
        assertThat(h.types("r4").stream().filter(EventTypes.DECISION_RESOLVED::equals)).hasSize(1);
    }

    @Test
    void decide_freeFormSkipAndObjectOptions() {
        start("r5");
        request("r5", "free", "[]", null, 0, false);
        assertThat(h.control.decide("r5", "free", Json.parse("{\"text\":\"anything\"}"), "c").toCompletableFuture().join()
                .dataNode().path("choice").path("text").asText()).isEqualTo("anything");
        request("r5", "sk", "[\"a\"]", null, 0, true);
        assertThat(h.control.decide("r5", "sk", TextNode.valueOf("skip"), "c").toCompletableFuture().join()
                .dataNode().path("skipped").asBoolean()).isTrue();
        request("r5", "obj", "[{\"id\":\"x\",\"label\":\"X\"}]", null, 0, false);
        assertThat(code(h.control.decide("r5", "obj", TextNode.valueOf("x"), "c"))).isNull();
    }

    @Test
    void decide_concurrentAnswers_exactlyOneWins() throws Exception {
        start("r6");
        request("r6", "d", "[\"a\",\"b\"]", null, 0, false);
        int n = 16;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger won = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String who = "c" + i;
            Thread t = new Thread(() -> {
                try { go.await(); } catch (InterruptedException e) { return; }
                ErrorCode c = code(h.control.decide("r6", "d", TextNode.valueOf("a"), who));
                if (c == null) won.incrementAndGet();
                else if (c == ErrorCode.DECISION_CLOSED) closed.incrementAndGet();
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertThat(won.get()).isEqualTo(1);
        assertThat(closed.get()).isEqualTo(n - 1);
        assertThat(h.types("r6").stream().filter(EventTypes.DECISION_RESOLVED::equals)).hasSize(1);
    }

    /** The one timer the control scheduled: the decision's timeout. */
    private ManualScheduler.Timer<?> decisionTimer() {
        assertThat(time.timers()).hasSize(1);
        return time.timers().get(0);
    }

    private long resolutions(String run) {
        return h.types(run).stream().filter(EventTypes.DECISION_RESOLVED::equals).count();
    }

    @Test
    void timeout_withDefault_resolvesWithDefaultByTimeout() throws Exception {
        start("r7");
        CompletableFuture<Event> waiter = h.control.awaitDecision("r7", "d");
        request("r7", "d", "[\"a\",\"b\"]", "\"b\"", 0.2, false);
        assertThat(h.control.pendingDecisions("r7")).isEqualTo(1);
        assertThat(decisionTimer().delay()).isEqualTo(Duration.ofMillis(200));
        time.advance(Duration.ofMillis(199));
        assertThat(resolutions("r7")).as("not before its deadline").isZero();
        time.advance(Duration.ofMillis(1));
        Event e = waiter.get(5, TimeUnit.SECONDS);
        assertThat(e.dataNode().path("choice").asText()).isEqualTo("b");
        assertThat(e.dataNode().path("by").asText()).isEqualTo(StreamControl.BY_TIMEOUT);
        assertThat(e.dataNode().path("timed_out").asBoolean()).isTrue();
        assertThat(code(h.control.decide("r7", "d", TextNode.valueOf("a"), "late"))).isEqualTo(ErrorCode.DECISION_CLOSED);
    }

    @Test
    void timeout_withoutDefault_resolvesTimedOutWithNoChoice() {
        start("r8");
        request("r8", "d", "[\"a\"]", null, 0.1, false);
        time.advance(Duration.ofMillis(100));
        assertThat(h.types("r8")).containsExactly(EventTypes.RUN_STARTED, EventTypes.DECISION_REQUESTED, EventTypes.DECISION_RESOLVED);
        ObjectNode data = h.events("r8").get(2).dataNode();
        assertThat(data.has("choice")).isFalse();
        assertThat(data.path("timed_out").asBoolean()).isTrue();
    }

    @Test
    void answerBeforeTimeout_cancelsTheTimer() {
        start("r9");
        request("r9", "d", "[\"a\"]", "\"a\"", 0.2, false);
        ManualScheduler.Timer<?> timer = decisionTimer();
        // The commit of the resolution cancels the timer as well (that covers answers appended by others);
        // so look at the moment it is committed: the answer itself must already have stopped the clock,
        // which matters while the resolution is still being written to a slow durable store.
        AtomicReference<Boolean> cancelledAtCommit = new AtomicReference<>();
        h.store.listener((run, events) -> {
            if (events.stream().anyMatch(e -> e.type().equals(EventTypes.DECISION_RESOLVED))) {
                cancelledAtCommit.compareAndSet(null, timer.isCancelled());
            }
            h.control.committed(run, events);
            h.hub.committed(run, events);
        });
        h.control.decide("r9", "d", TextNode.valueOf("a"), "human").toCompletableFuture().join();
        assertThat(cancelledAtCommit.get()).as("timer cancelled by the answer, before its resolution was committed").isTrue();
        time.advance(Duration.ofSeconds(1));
        assertThat(timer.runs()).as("the cancelled timer never fires").isZero();
        assertThat(resolutions("r9")).isEqualTo(1);
        assertThat(h.events("r9").get(2).dataNode().path("by").asText()).isEqualTo("human");
    }

    @Test
    void runEnd_failsDecisionWaiters_andCancelsTheirTimers() {
        start("r10");
        CompletableFuture<Event> waiter = h.control.awaitDecision("r10", "d");
        request("r10", "d", "[\"a\"]", null, 30, false);
        ManualScheduler.Timer<?> timer = decisionTimer();
        h.control.cancel("r10", "c", null).toCompletableFuture().join();
        assertThat(timer.isCancelled()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(waiter::isDone);
        assertThat(waiter).isCompletedExceptionally();
        assertThat(h.control.pendingDecisions("r10")).isZero();
    }

    @Test
    void resolvedByRemoteProducer_closesTheDecision_andCancelsItsTimer() throws Exception {
        start("r11");
        CompletableFuture<Event> waiter = h.control.awaitDecision("r11", "d");
        request("r11", "d", "[\"a\"]", null, 30, false);
        ManualScheduler.Timer<?> timer = decisionTimer();
        ObjectNode r = Json.object();
        r.put("decision", "d");
        r.put("choice", "a");
        r.put("by", "remote");
        h.engine.publish("r11", EventDraft.of(EventTypes.DECISION_RESOLVED, r)).toCompletableFuture().join();
        assertThat(timer.isCancelled()).isTrue();
        assertThat(waiter.get(5, TimeUnit.SECONDS).dataNode().path("by").asText()).isEqualTo("remote");
        assertThat(code(h.control.decide("r11", "d", TextNode.valueOf("a"), "c"))).isEqualTo(ErrorCode.DECISION_CLOSED);
    }

    @Test
    void decisionsThisControlNeverSaw_areFoundInHistory_andKeepTheirDeadlines() {
        ManualScheduler otherTime = new ManualScheduler();
        try (Harness other = new Harness(otherTime, otherTime.clock())) {
            other.store.listener(other.hub); // events committed while no control listened (before a restart, on another node)
            other.engine.publish("r12", EventDraft.of(EventTypes.RUN_STARTED, Json.object())).toCompletableFuture().join();
            String[][] decisions = {{"open", "null", "0"}, {"done", "null", "60"}, {"overdue", "\"b\"", "0.05"}, {"later", "\"a\"", "1"}};
            for (String[] d : decisions) {
                ObjectNode req = Json.object();
                req.put("decision", d[0]);
                req.set("options", Json.parse("[\"a\",\"b\"]"));
                req.set("default", Json.parse(d[1]));
                req.put("timeout_seconds", Double.parseDouble(d[2]));
                other.engine.publish("r12", EventDraft.of(EventTypes.DECISION_REQUESTED, req)).toCompletableFuture().join();
            }
            ObjectNode res = Json.object();
            res.put("decision", "done");
            res.put("choice", "a");
            other.engine.publish("r12", EventDraft.of(EventTypes.DECISION_RESOLVED, res)).toCompletableFuture().join();
            otherTime.advance(Duration.ofMillis(100)); // "overdue" passes its deadline while nobody is timing it
            StreamControl late = new StreamControl(other.engine, otherTime, otherTime.clock());
            assertThat(code(late.decide("r12", "open", TextNode.valueOf("c"), "x"))).isEqualTo(ErrorCode.INVALID_CHOICE);
            Event e = late.decide("r12", "open", TextNode.valueOf("b"), "bob").toCompletableFuture().join();
            assertThat(e.dataNode().path("choice").asText()).isEqualTo("b");
            assertThat(code(late.decide("r12", "open", TextNode.valueOf("a"), "x"))).isEqualTo(ErrorCode.DECISION_CLOSED);
            assertThat(code(late.decide("r12", "done", TextNode.valueOf("a"), "x"))).isEqualTo(ErrorCode.DECISION_CLOSED);
            assertThat(timerOf(otherTime, Duration.ofMillis(59_900)).isCancelled()).as("the resolved decision's timer").isTrue();
            assertThat(code(late.decide("r12", "overdue", TextNode.valueOf("a"), "x"))).isEqualTo(ErrorCode.DECISION_CLOSED);
            assertThat(code(late.decide("r12", "never", TextNode.valueOf("a"), "x"))).isEqualTo(ErrorCode.DECISION_NOT_FOUND);
            Event overdue = resolution(other, "overdue");
            assertThat(overdue.dataNode().path("by").asText()).isEqualTo(StreamControl.BY_TIMEOUT);
            assertThat(overdue.dataNode().path("choice").asText()).isEqualTo("b");
            // Found through a refused answer; its deadline still counts from the request, 100 ms ago.
            assertThat(code(late.decide("r12", "later", TextNode.valueOf("zz"), "x"))).isEqualTo(ErrorCode.INVALID_CHOICE);
            ManualScheduler.Timer<?> later = timerOf(otherTime, Duration.ofMillis(900));
            otherTime.advance(Duration.ofMillis(900));
            assertThat(later.runs()).isEqualTo(1);
            assertThat(resolution(other, "later").dataNode().path("by").asText()).isEqualTo(StreamControl.BY_TIMEOUT);
            assertThat(resolution(other, "later").dataNode().path("choice").asText()).isEqualTo("a");
        }
    }

    private static ManualScheduler.Timer<?> timerOf(ManualScheduler time, Duration delay) {
        return time.timers().stream().filter(t -> t.delay().equals(delay)).findFirst()
                .orElseThrow(() -> new AssertionError("no timer of " + delay + " in " + time.timers()));
    }

    private static Event resolution(Harness h, String decision) {
        return h.events("r12").stream().filter(ev -> ev.type().equals(EventTypes.DECISION_RESOLVED)
                && ev.dataNode().path("decision").asText().equals(decision)).findFirst().orElseThrow();
    }
}
