package io.runcast.exec;

import io.runcast.event.EventDraft;
import io.runcast.producer.RunHandle;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A {@link RunHandle} whose appends go through the execution, which counts them and drops them after the end. */
final class GuardedHandle implements RunHandle {
    private final String run;
    private final String step;
    private final String agent;
    private final Function<EventDraft, CompletionStage<Long>> sink;

    GuardedHandle(String run, String step, String agent, Function<EventDraft, CompletionStage<Long>> sink) {
        this.run = run;
        this.step = step;
        this.agent = agent;
        this.sink = sink;
    }

    @Override public String run() { return run; }
    @Override public String step() { return step; }
    @Override public String agent() { return agent; }

    @Override
    public RunHandle scoped(String step, String agent) {
        return new GuardedHandle(run, step, agent, sink);
    }

    @Override
    public CompletionStage<Long> emit(EventDraft draft) {
        return sink.apply(draft);
    }

    @Override
    public CompletionStage<Void> flush() {
        return emitFlush();
    }

    private CompletionStage<Void> emitFlush() {
        // In-process appends are acknowledged in call order; nothing is buffered here.
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
}
