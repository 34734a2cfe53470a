package io.runcast.exec;

import io.runcast.event.EventDraft;
import io.runcast.producer.PendingAcks;
import io.runcast.producer.RunHandle;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link RunHandle} whose appends go through the execution, which counts them and drops them after
 * the end. {@link #flush()} waits for every append handed over through this handle and its scoped views:
 * appends are acknowledged asynchronously (the SQLite store commits in groups on its writer thread).
 */
final class GuardedHandle implements RunHandle {
    private final String run;
    private final String step;
    private final String agent;
    private final Function<EventDraft, CompletionStage<Long>> sink;
    private final PendingAcks acks;

    GuardedHandle(String run, String step, String agent, Function<EventDraft, CompletionStage<Long>> sink) {
        this(run, step, agent, sink, new PendingAcks());
    }

    private GuardedHandle(String run, String step, String agent, Function<EventDraft, CompletionStage<Long>> sink,
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
        return new GuardedHandle(run, step, agent, sink, acks);
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
