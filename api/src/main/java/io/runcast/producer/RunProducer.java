package io.runcast.producer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Opens runs for a producer. Two implementations share this interface: {@link InProcessProducer}
 * (appends through the embedded engine) and {@link HttpProducer} (posts to a remote Runcast with
 * {@code POST /api/runs/{run}/events}). Code written against it runs unchanged on either.
 */
public interface RunProducer extends AutoCloseable {
    /** Starts a run: appends {@code run.started} with the given data (the plan, the query …) and returns its handle. */
    default RunHandle open(String run, ObjectNode plan) {
        RunHandle h = attach(run);
        h.started(plan);
        return h;
    }

    /** A handle on a run without appending anything (to continue a run started elsewhere). */
    RunHandle attach(String run);

    /** Waits for what was emitted to be acknowledged, then releases resources. */
    @Override
    void close();
}
