package io.runcast.hub;

import io.runcast.store.RunInfo;
import java.util.Optional;

/**
 * Where a subscription starts, decided by the resume rule (docs/protocol.md, "Resume rule"). This is
 * the one place the rule lives: every transport subscribes through the {@link Hub}, and a transport
 * that must answer before subscribing (the SSE route's 204 for an ended stream) asks {@link #of} too.
 *
 * <ul>
 *   <li>{@code since} absent: whatever is retained, {@code recovered}.</li>
 *   <li>{@code since: N} means "I have everything up to N": recovered when N+1 is still retained (or N
 *       is the head), delivery from N+1.</li>
 *   <li>N+1 trimmed, another epoch, or N beyond the head (the client is ahead of the store, whose
 *       history was lost): not recovered, delivery from {@code first}.</li>
 *   <li>A run the store does not know: recovered only for a client that has nothing (no {@code since}
 *       or {@code since: 0}, no epoch); its events arrive as they are published.</li>
 * </ul>
 *
 * @param epoch     the run's current epoch, null when the store does not know the run
 * @param head      the run's last seq
 * @param first     the lowest retained seq
 * @param recovered whether every event after the client's position will be delivered
 * @param after     delivery starts with the event after this seq
 * @param complete  the run is closed and nothing after {@code after} exists: the client already has
 *                  the terminal event (or nothing is retained), so the stream ends at once
 */
public record ResumePoint(String epoch, long head, long first, boolean recovered, long after, boolean complete) {

    /**
     * @param info  the run as the store knows it (empty: unknown)
     * @param since the last seq the client has, or null when it has nothing to resume from
     * @param epoch the epoch {@code since} refers to, or null
     */
    public static ResumePoint of(Optional<RunInfo> info, Long since, String epoch) {
        if (info.isEmpty()) {
            boolean hasNothing = since == null || (since == 0 && epoch == null);
            return new ResumePoint(null, 0, 1, hasNothing, 0, false);
        }
        RunInfo run = info.get();
        boolean recovered;
        if (since == null) {
            recovered = true;
        } else if (epoch != null && !epoch.equals(run.epoch())) {
            recovered = false; // a different stream: the client's position means nothing in this one
        } else if (since > run.head()) {
            recovered = false; // the client is ahead of the store: the history it saw was lost
        } else {
            recovered = since + 1 >= run.first();
        }
        long after = recovered && since != null ? since : run.first() - 1;
        return new ResumePoint(run.epoch(), run.head(), run.first(), recovered, after, run.closed() && after >= run.head());
    }

    /** The answer sent to the client before any event. */
    public Subscribed subscribed(String run) {
        return new Subscribed(run, epoch, head, first, recovered);
    }
}
