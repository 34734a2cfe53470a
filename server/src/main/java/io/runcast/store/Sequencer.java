package io.runcast.store;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.RunStatus;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one set of rules that turns an append's drafts into events. Every store runs it for each
 * append, under whatever makes appends to one run serial (a monitor, a single writer thread, a
 * Redis script), and then stores its {@link Sequenced} result atomically — all of it or nothing.
 * It does no I/O itself and keeps no state between calls; the only outside input is a
 * {@link KeyLookup} for idempotency keys the store remembers.
 *
 * <h2>Rules, in the order they are applied</h2>
 * <ol>
 *   <li><b>Batch shape.</b> An empty batch is refused with {@code BAD_REQUEST}; a batch with a terminal
 *       draft ({@code run.completed}, {@code run.failed}, {@code run.cancelled}) anywhere but last is
 *       refused with {@code RUN_CLOSED}. Checked before anything else, even for a new run.</li>
 *   <li><b>Time.</b> Every event of the append gets the same time: {@code now} truncated to
 *       milliseconds (what the wire carries), or the run's last event time if that is later. Time
 *       never goes backwards within a run, even when the clock does; age-based trimming relies on it.</li>
 *   <li><b>Idempotency.</b> With a non-zero window, a draft with a key is a duplicate when an earlier
 *       draft of the same batch has the key (it is answered with the event that draft became), or else
 *       when the lookup finds the key for this run with an event time no earlier than the append's
 *       time minus the window (answered with that event). The lookup is not asked for a run with no
 *       events. A duplicate gets no seq and is answered with {@code duplicate = true}. With a zero
 *       window keys are ignored.</li>
 *   <li><b>Closed runs.</b> If at least one draft is new and the run is closed, the whole batch is
 *       refused with {@code RUN_CLOSED} and nothing changes. A batch whose every draft is a duplicate
 *       is answered even after the run closed, so a retried terminal event gets its original answer.</li>
 *   <li><b>Seqs.</b> New events get {@code head + 1, head + 2, …} in draft order: no gap, no repeat.</li>
 *   <li><b>Status.</b> The run's status follows the lifecycle types of the new events, in order.</li>
 *   <li><b>Result.</b> The run's next state (unchanged when nothing is new), one answer per draft in
 *       draft order, the new events, and the keys of new drafts mapped to their events, which the
 *       store remembers for the window. Nothing else is decided here: ids are random, epochs and
 *       retention belong to the store.</li>
 * </ol>
 *
 * <p>Thread-safe: instances are immutable.
 */
public final class Sequencer {

    /**
     * What the sequencer needs to know of a run.
     *
     * @param head   the last assigned seq (0 for a run with no events)
     * @param status the run's status
     * @param time   the time of its last event ({@link Instant#EPOCH} when none)
     */
    public record State(long head, RunStatus status, Instant time) {
        /** A run that does not exist yet. */
        public static final State NEW = new State(0, RunStatus.RUNNING, Instant.EPOCH);

        public State {
            if (head < 0) throw new IllegalArgumentException("head must be >= 0, was " + head);
        }
    }

    /**
     * The store's memory of idempotency keys for one run.
     *
     * @param <X> what the lookup may throw (a store's I/O error), passed through to the caller
     */
    @FunctionalInterface
    public interface KeyLookup<X extends Exception> {
        /**
         * The event first appended under {@code key}, or null when the store does not remember it. The
         * event may come without its body (data {@code "{}"}) when it was trimmed since; the sequencer
         * checks the window against its time.
         */
        Event find(String key) throws X;
    }

    /**
     * The outcome of one append.
     *
     * @param state   the run's next state; equal to the given one when nothing is new
     * @param answers one per draft, in draft order
     * @param fresh   the new events, in seq order (empty when every draft was a duplicate)
     * @param keys    keys of new drafts and the events they became, in seq order
     */
    public record Sequenced(State state, List<Appended> answers, List<Event> fresh, Map<String, Event> keys) {
        public Sequenced {
            answers = List.copyOf(answers);
            fresh = List.copyOf(fresh);
            keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        }
    }

    private final Duration idempotencyWindow;

    public Sequencer(Duration idempotencyWindow) {
        if (idempotencyWindow.isNegative()) throw new IllegalArgumentException("idempotency window must not be negative");
        this.idempotencyWindow = idempotencyWindow;
    }

    /**
     * Applies the rules to one append.
     *
     * @throws RuncastException BAD_REQUEST or RUN_CLOSED as the rules say; nothing is to be stored then
     * @throws X                whatever the lookup throws
     */
    public <X extends Exception> Sequenced sequence(String run, State state, List<EventDraft> drafts, Instant now,
                                                    KeyLookup<X> lookup) throws X {
        checkBatch(run, drafts);
        Instant time = now.truncatedTo(ChronoUnit.MILLIS);
        if (time.isBefore(state.time())) time = state.time();
        boolean keysOn = !idempotencyWindow.isZero();
        Instant notBefore = time.minus(idempotencyWindow);
        List<Appended> answers = new ArrayList<>(drafts.size());
        List<Event> fresh = new ArrayList<>(drafts.size());
        Map<String, Event> keys = new LinkedHashMap<>();
        RunStatus status = state.status();
        for (EventDraft d : drafts) {
            String key = keysOn ? d.key() : null;
            if (key != null) {
                Event original = keys.get(key);
                if (original == null && state.head() > 0) {
                    Event remembered = lookup.find(key);
                    if (remembered != null && !remembered.time().isBefore(notBefore)) original = remembered;
                }
                if (original != null) {
                    answers.add(new Appended(original, true));
                    continue;
                }
            }
            Event e = Drafts.toEvent(run, state.head() + fresh.size() + 1, d, time);
            fresh.add(e);
            answers.add(new Appended(e, false));
            status = status.after(e.type());
            if (key != null) keys.put(key, e);
        }
        if (fresh.isEmpty()) return new Sequenced(state, answers, fresh, keys);
        if (state.status().isClosed()) throw closed(run);
        return new Sequenced(new State(state.head() + fresh.size(), status, time), answers, fresh, keys);
    }

    /** Rule 1 alone, for a store that refuses a malformed batch before queueing it. */
    public static void checkBatch(String run, List<EventDraft> drafts) {
        if (drafts.isEmpty()) throw new RuncastException(ErrorCode.BAD_REQUEST, "no events to append");
        for (int i = 0; i < drafts.size() - 1; i++) {
            if (drafts.get(i).isTerminal()) {
                throw new RuncastException(ErrorCode.RUN_CLOSED,
                        "terminal event " + drafts.get(i).type() + " must be the last of run " + run);
            }
        }
    }

    private static RuncastException closed(String run) {
        return new RuncastException(ErrorCode.RUN_CLOSED, "run " + run + " has ended; no more events are accepted");
    }
}
