package io.runcast.store.sqlite;

import io.runcast.event.RunStatus;
import io.runcast.store.RunInfo;
import io.runcast.store.Sequencer;
import java.time.Instant;

/**
 * One run's sequencer state, mirroring its row in {@code runs}. Owned by the writer thread: the
 * cached copy always equals the committed row; a batch works on a {@link #copy()} and publishes it
 * only after its transaction commits.
 */
final class RunState {
    final String run;
    final String epoch;
    RunStatus status;
    long head;
    long first;
    /** Time of the event at {@code first}, or -1 when nothing is retained. */
    long firstTime;
    final long created;
    long updated;
    /** Time of the terminal event, or -1 while the run is open. */
    long closedAt;
    /** Changed in the current batch, so its row must be written. */
    boolean dirty;

    RunState(String run, String epoch, RunStatus status, long head, long first, long firstTime,
             long created, long updated, long closedAt) {
        this.run = run;
        this.epoch = epoch;
        this.status = status;
        this.head = head;
        this.first = first;
        this.firstTime = firstTime;
        this.created = created;
        this.updated = updated;
        this.closedAt = closedAt;
    }

    static RunState fresh(String run, String epoch, long now) {
        return new RunState(run, epoch, RunStatus.RUNNING, 0, 1, -1, now, now, -1);
    }

    RunState copy() {
        return new RunState(run, epoch, status, head, first, firstTime, created, updated, closedAt);
    }

    /** What the sequencer needs of this run. */
    Sequencer.State sequencing() {
        return new Sequencer.State(head, status, Instant.ofEpochMilli(updated));
    }

    /** Takes the sequencer's next state after an append that added events. */
    void advance(Sequencer.State next) {
        long t = next.time().toEpochMilli();
        if (first > head) firstTime = t; // nothing was retained: the first new event starts the age window
        head = next.head();
        status = next.status();
        updated = t;
        if (status.isClosed()) closedAt = t;
        dirty = true;
    }

    long retained() {
        return Math.max(0, head - first + 1);
    }

    RunInfo info() {
        return new RunInfo(run, epoch, status, head, first, Instant.ofEpochMilli(created), Instant.ofEpochMilli(updated));
    }
}
