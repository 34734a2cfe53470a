package io.runcast.store;

import io.runcast.event.EventDraft;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where run streams live: it assigns seqs, keeps history, and tells the hub what was committed.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Sequencing.</b> Every store applies the rules of {@link Sequencer}. {@link #append} gives the drafts consecutive seqs right after the run's
 *       head, atomically: either all drafts of the call are stored or none. Seqs never repeat and never
 *       skip, whatever the number of concurrent callers. A run comes into being on its first append,
 *       with a fresh epoch.</li>
 *   <li><b>Terminal events.</b> Once a run holds {@code run.completed}, {@code run.failed} or
 *       {@code run.cancelled}, every later append fails with {@code RUN_CLOSED}, as does a batch with a
 *       terminal draft anywhere but last.</li>
 *   <li><b>Acknowledgement.</b> The returned stage completes only after the events are as durable as
 *       the store promises (memory: in this process; SQLite: on disk under its sync policy; Redis: in
 *       Redis). A stage that fails means nothing of that call was stored.</li>
 *   <li><b>Commit notification.</b> Before a call's stage completes, the {@link CommitListener} receives
 *       its events. For one run, notifications come in seq order and never concurrently; the listener
 *       may be called on the caller's thread or a store thread and must not block.</li>
 *   <li><b>Idempotency.</b> A draft whose {@code key} was already appended to the same run within the
 *       idempotency window is not appended again: its {@link Appended} carries the original event and
 *       {@code duplicate == true}. Duplicates are not notified.</li>
 *   <li><b>History.</b> {@link #read} returns retained events in seq order. By default a run's whole
 *       history is kept; {@link Retention} may trim the oldest events of a run (by count, age, or the
 *       memory store's budget) and remove closed runs after a while; the epoch changes only when a
 *       run's history was lost in a way the store cannot account for.</li>
 *   <li><b>Errors.</b> Methods throw (or complete with) {@link io.runcast.protocol.RuncastException}:
 *       {@code RUN_CLOSED}, {@code TOO_LARGE}, {@code UNAVAILABLE} when storage fails.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface EventStore extends AutoCloseable {

    /** Sets the one listener told about committed events. Call before the first append. */
    void listener(CommitListener listener);

    /** Appends drafts to the end of a run; see the class contract. */
    CompletionStage<List<Appended>> append(String run, List<EventDraft> drafts);

    /** Up to {@code limit} retained events with seq greater than {@code after}, in order. */
    History read(String run, long after, int limit);

    /** The run's current state, or empty when the store does not know it. */
    Optional<RunInfo> info(String run);

    /** Runs, most recently created first, at most {@code limit}; only open ones when {@code openOnly}. */
    List<RunInfo> list(int limit, boolean openOnly);

    /** A short name for logs and health: "memory", "sqlite", "redis". */
    String kind();

    /** Flushes what is pending and releases resources. Appends after close fail with UNAVAILABLE. */
    @Override
    void close();
}
