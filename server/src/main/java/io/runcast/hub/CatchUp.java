package io.runcast.hub;

import io.runcast.event.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Brings one subscription from its resume point up to live, in steps on the hub's replay executor,
 * sending only what the connection asks for.
 *
 * <p>A step reads a page of history after {@code lastSeq} and passes events while the sink is
 * {@linkplain Sink#ready ready}. When it is not, the step drops what it has not passed and ends: a
 * waiting subscription holds neither a thread nor history. The sink's callback schedules the next
 * step, which reads again from {@code lastSeq}; a timer, not a waiting thread, closes the connection
 * as too slow when no callback comes within the replay stall timeout. When the store has nothing
 * newer, the live events parked meanwhile are taken under the topic's monitor and passed the same
 * way; when none are parked the subscription goes live inside that monitor, so no event falls between
 * history and live.
 *
 * <p>A hole the store cannot fill (history trimmed while the client caught up) is never skipped: the
 * connection is closed as too slow, and the client's resume is then answered {@code recovered:false}.
 *
 * <p>Threading: steps of one subscription never overlap. A step ends by going live, by finishing, or
 * by leaving exactly one callback with the sink, and only that callback (or, once live, a hole in the
 * live notifications) starts the next; fields handed between steps travel through the executor. The
 * fields guarded by this object's monitor are the ones the callback and the timer share with a step.
 */
final class CatchUp {
    /** Smallest adapted page: below this, reads would cost more than the few events they re-read. */
    private static final int MIN_PAGE = 16;
    private final Hub hub;
    private final Subscription sub;
    private final Duration stall;
    private final ArrayDeque<EncodedEvent> backlog = new ArrayDeque<>();
    private final Runnable onReady = this::onReady;
    private boolean storeDone;
    /** A seq known to exist (it was notified): the store must deliver everything up to it. */
    private long mustReach;
    private int readLimit;
    private int passedSinceWait;

    private boolean waiting;
    private boolean earlyCallback;
    private long waitStartedNanos;
    private boolean timerArmed;

    CatchUp(Hub hub, Subscription sub) {
        this.hub = hub;
        this.sub = sub;
        this.stall = hub.config().replayStall();
        this.readLimit = hub.config().replayPage();
    }

    /** First step: decide where to start, answer the subscribe, then replay. */
    void begin(Long since, String epoch) {
        execute(() -> {
            try {
                if (sub.isDone()) return; // cancelled before it started
                ResumePoint point = ResumePoint.of(hub.store().info(sub.run()), since, epoch);
                sub.lastSeq = point.after();
                sub.sink().subscribed(sub, point.subscribed(sub.run()));
                if (point.complete()) {
                    sub.sink().end(sub, point.head()); // nothing will ever come: say it ended
                    hub.remove(sub);
                    return;
                }
                advance();
            } catch (RuntimeException e) {
                hub.failed(sub, e);
            }
        });
    }

    /**
     * A live subscription was notified of {@code seenSeq} while it still lacks the seqs before it:
     * fetch them from the store on the replay executor, not on the committing thread. The caller holds
     * the topic's monitor and has already parked the event and switched the state back.
     */
    void fillHoleBefore(long seenSeq) {
        mustReach = Math.max(mustReach, seenSeq - 1);
        storeDone = false;
        execute(this::step);
    }

    private void step() {
        try {
            advance();
        } catch (RuntimeException e) {
            hub.failed(sub, e);
        }
    }

    private void advance() {
        while (!sub.isDone()) {
            EncodedEvent next = backlog.peekFirst();
            if (next == null) {
                if (!storeDone) {
                    if (!readPage()) return;
                    continue;
                }
                List<EncodedEvent> parked = hub.handOver(sub);
                if (parked == null) return; // live now, or finished meanwhile
                backlog.addAll(parked);
                continue;
            }
            if (next.seq() <= sub.lastSeq) {
                backlog.pollFirst();
                continue;
            }
            if (next.seq() > sub.lastSeq + 1) {
                // parked notifications skip seqs: the store holds them (its contract), so read them there
                mustReach = Math.max(mustReach, next.seq() - 1);
                backlog.clear();
                storeDone = false;
                continue;
            }
            if (!sub.sink().ready(onReady)) {
                if (awaitDemand()) return;
                continue;
            }
            backlog.pollFirst();
            passedSinceWait++;
            if (sub.pass(next)) {
                hub.remove(sub);
                return;
            }
        }
    }

    /** Reads the page after {@code lastSeq} into the backlog; false when the subscription was cut off. */
    private boolean readPage() {
        List<Event> page = hub.store().read(sub.run(), sub.lastSeq, readLimit).events();
        long expected = sub.lastSeq + 1;
        boolean hole = page.isEmpty() ? mustReach >= expected : page.get(0).seq() > expected;
        if (hole) {
            cutOff("events after seq " + sub.lastSeq + " were trimmed before the client read them");
            return false;
        }
        for (Event e : page) backlog.addLast(EncodedEvent.of(e));
        storeDone = page.size() < readLimit;
        return true;
    }

    /**
     * The sink said "not now". Returns true when the step must end (the sink's callback resumes the
     * replay), false when that callback already came and the step can go on.
     */
    private boolean awaitDemand() {
        // the next page need not be much larger than what the connection took between two waits
        if (passedSinceWait > 0) readLimit = Math.min(hub.config().replayPage(), Math.max(MIN_PAGE, passedSinceWait));
        passedSinceWait = 0;
        backlog.clear(); // hold no history while waiting: read again from lastSeq when asked
        storeDone = false;
        synchronized (this) {
            if (earlyCallback) {
                earlyCallback = false;
                return false;
            }
            waiting = true;
            waitStartedNanos = System.nanoTime();
            if (!timerArmed) arm(stall.toNanos());
            return true;
        }
    }

    private void onReady() {
        synchronized (this) {
            if (!waiting) {
                earlyCallback = true; // the step that asked has not finished parking yet
                return;
            }
            waiting = false;
        }
        execute(this::step);
    }

    /**
     * One timer per subscription at most, re-armed for the rest of the current wait instead of being
     * cancelled and replaced at every wait (a fast replay waits thousands of times).
     */
    private void checkStall() {
        synchronized (this) {
            timerArmed = false;
            if (!waiting || sub.isDone()) return;
            long left = waitStartedNanos + stall.toNanos() - System.nanoTime();
            if (left > 0) {
                arm(left);
                return;
            }
            waiting = false;
        }
        cutOff("the client did not read its history replay within " + stall);
    }

    /** Caller holds this object's monitor. */
    private void arm(long delayNanos) {
        try {
            hub.timers().schedule(this::checkStall, delayNanos, TimeUnit.NANOSECONDS);
            timerArmed = true;
        } catch (RejectedExecutionException e) {
            // the timers stopped: the server is shutting down and closes every connection itself
        }
    }

    private void cutOff(String why) {
        sub.sink().tooSlow(why);
        hub.remove(sub);
    }

    private void execute(Runnable task) {
        try {
            hub.replayExecutor().execute(task);
        } catch (RejectedExecutionException e) {
            hub.remove(sub); // the executor stopped: the hub is shutting down
        }
    }
}
