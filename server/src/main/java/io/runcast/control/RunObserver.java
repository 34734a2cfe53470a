package io.runcast.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;

/**
 * Whatever executes a run in this process (the plan executor, or any agent loop) and wants to be told
 * when the run is cancelled, paused, resumed or a decision is resolved. Registered with
 * {@link StreamControl#watch(String, RunObserver)}.
 *
 * <p>Threading: every method is called from the committing thread or a control request's thread,
 * possibly concurrently with each other. None may block: set a flag, interrupt a thread, complete a
 * future — nothing slower.
 */
public interface RunObserver {
    /**
     * A cancel was asked for, before {@code run.cancelled} is appended. Called at once so the work
     * stops even while the event is still being written. The observer must not append a terminal
     * event of its own after this: {@code run.cancelled} is written by the control.
     */
    void cancelRequested(String by, String reason);

    /** An event of the observed run was committed (all types, in seq order). */
    void committed(Event event);

    /** Extra fields for the {@code run.cancelled} data (for example a telemetry summary), or null. */
    default ObjectNode cancelData() {
        return null;
    }
}
