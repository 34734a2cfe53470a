package io.runcast.store;

import io.runcast.event.RunStatus;
import java.time.Instant;

/**
 * What a store knows of one run.
 *
 * @param run       the run id
 * @param epoch     the id of this run's stored stream; changes only when its history was lost
 * @param status    derived from the lifecycle events
 * @param head      the last assigned seq (also the number of events ever appended)
 * @param first     the lowest seq still retained
 * @param createdAt time of the first event
 * @param updatedAt time of the last event
 */
public record RunInfo(String run, String epoch, RunStatus status, long head, long first, Instant createdAt, Instant updatedAt) {
    public boolean closed() {
        return status.isClosed();
    }

    /** How many events are retained. */
    public long retained() {
        return Math.max(0, head - first + 1);
    }
}
