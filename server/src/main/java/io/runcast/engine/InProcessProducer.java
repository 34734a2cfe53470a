package io.runcast.engine;

import io.runcast.event.EventDraft;
import io.runcast.producer.PendingAcks;
import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
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
        return new Handle(run, null, null, new PendingAcks());
    }

    @Override
    public void close() {
        // Nothing to release: appends are acknowledged by the engine as they are made.
    }

    private final class Handle implements RunHandle {
        private final String run;
        private final String step;
        private final String agent;
        /** Shared by the handle and its scoped views, so flush() waits for every append made through any of them. */
        private final PendingAcks acks;

        Handle(String run, String step, String agent, PendingAcks acks) {
            this.run = run;
            this.step = step;
            this.agent = agent;
            this.acks = acks;
        }

        @Override public String run() { return run; }
        @Override public String step() { return step; }
        @Override public String agent() { return agent; }

        @Override
        public RunHandle scoped(String step, String agent) {
            return new Handle(run, step, agent, acks);
        }

        @Override
        public CompletionStage<Long> emit(EventDraft draft) {
            return acks.track(engine.publish(run, draft).thenApply(a -> a.event().seq()));
        }

        @Override
        public CompletionStage<Void> flush() {
            return acks.flush();
        }
    }
}
