package io.runcast.exec;

import io.runcast.event.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A plan running on a {@link PlanExecutor}. */
public interface RunExecution {
    String run();

    /**
     * Completes with the run's terminal event once it is committed — {@code run.completed},
     * {@code run.failed} or {@code run.cancelled} — or fails if the end could not be recorded at all
     * (the store is unavailable).
     */
    CompletableFuture<Event> done();

    /** Same as {@link io.runcast.control.RunControl#cancel} for this run. */
    CompletionStage<Event> cancel(String by, String reason);

    CompletionStage<Event> pause(String by);

    CompletionStage<Event> resume(String by);
}
