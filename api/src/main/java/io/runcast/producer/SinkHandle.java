package io.runcast.producer;

import io.runcast.event.EventDraft;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link RunHandle} that hands each draft to a sink (the engine, an execution that counts and guards
 * its appends …) and keeps what the rest of the contract needs: the step and agent of scoped views, and
 * {@link #flush()} waiting for every append handed over through this handle and its scoped views —
 * appends are acknowledged asynchronously (the SQLite store commits in groups on its writer thread).
 */
public final class SinkHandle implements RunHandle {
    private final String run;
    private final String step;
    private final String agent;
    private final Function<EventDraft, CompletionStage<Long>> sink;
    private final PendingAcks acks;

    /** @param sink appends one draft of this run; its stage completes with the seq or fails */
    public SinkHandle(String run, String step, String agent, Function<EventDraft, CompletionStage<Long>> sink) {
        this(run, step, agent, sink, new PendingAcks());
    }

    private SinkHandle(String run, String step, String agent, Function<EventDraft, CompletionStage<Long>> sink,
                          PendingAcks acks) {
        this.run = run;
        this.step = step;
        this.agent = agent;
        this.sink = sink;
        this.acks = acks;
    }

    @Override public String run() { return run; }
    @Override public String step() { return step; }
    @Override public String agent() { return agent; }

    @Override
    public RunHandle scoped(String step, String agent) {
        return new SinkHandle(run, step, agent, sink, acks);
    }

    @Override
    public CompletionStage<Long> emit(EventDraft draft) {
        return acks.track(sink.apply(draft));
    }

    @Override
    public CompletionStage<Void> flush() {
        return acks.flush();
    }
}
