package io.runcast.engine;

import io.runcast.event.EventDraft;
import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Produces into the embedded engine. Each emit is one {@link Engine#publish} call, so the call order
 * on a thread is the append order; no batching is needed in-process.
 */
public final class InProcessProducer implements RunProducer {
    private final Engine engine;

    public InProcessProducer(Engine engine) {
        this.engine = engine;
    }

    @Override
    public RunHandle attach(String run) {
        engine.checkRun(run);
        return new Handle(run, null, null, new Tail());
    }

    @Override
    public void close() {
        // Nothing to release: appends are acknowledged by the engine as they are made.
    }

    /** The last stage emitted on a run, shared by its scoped views, so flush() can wait for it. */
    private static final class Tail {
        volatile CompletionStage<?> last = CompletableFuture.completedFuture(null);
    }

    private final class Handle implements RunHandle {
        private final String run;
        private final String step;
        private final String agent;
        private final Tail tail;

        Handle(String run, String step, String agent, Tail tail) {
            this.run = run;
            this.step = step;
            this.agent = agent;
            this.tail = tail;
        }

        @Override public String run() { return run; }
        @Override public String step() { return step; }
        @Override public String agent() { return agent; }

        @Override
        public RunHandle scoped(String step, String agent) {
            return new Handle(run, step, agent, tail);
        }

        @Override
        public CompletionStage<Long> emit(EventDraft draft) {
            CompletionStage<Long> s = engine.publish(run, draft).thenApply(a -> a.event().seq());
            tail.last = s;
            return s;
        }

        @Override
        public CompletionStage<Void> flush() {
            return tail.last.handle((v, e) -> null);
        }
    }
}
