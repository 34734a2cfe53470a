package io.runcast.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.server.RuncastServer;
import io.runcast.config.RuncastConfig;
import io.runcast.server.Stores;
import io.runcast.testing.HeldAcks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's {@code ctx.out().flush()} waits until what it emitted is acknowledged by the store. The
 * SQLite store's acknowledgements are held back while the agent emits and flushes, so nothing is
 * acknowledged before the hold goes: a flush that completed early would be seen doing so.
 */
class GuardedFlushTest {
    @TempDir
    Path dir;

    @Test
    void agentFlush_completesOnlyAfterEveryEmitOfTheStepIsAcknowledged() throws Exception {
        AtomicBoolean allDoneAtFlush = new AtomicBoolean();
        CountDownLatch flushCalled = new CountDownLatch(1);
        Agent chatty = ctx -> {
            List<CompletableFuture<Long>> emitted = new ArrayList<>();
            for (int i = 0; i < 30; i++) emitted.add(ctx.out().log("info", "line " + i).toCompletableFuture());
            emitted.add(ctx.out().scoped("w", "other").thinking("and this").toCompletableFuture());
            CompletableFuture<Void> flushed = ctx.out().flush().toCompletableFuture()
                    .thenRun(() -> allDoneAtFlush.set(emitted.stream().allMatch(CompletableFuture::isDone)));
            flushCalled.countDown();
            flushed.join();
            return TextNode.valueOf("ok");
        };
        RuncastConfig config = RuncastConfig.builder().port(0).store("sqlite").dataDir(dir).build();
        HeldAcks acks = new HeldAcks(Stores.open(config));
        try (RuncastServer server = RuncastServer.start(config, acks);
             PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT)) {
            RunExecution run;
            try (HeldAcks.Hold held = acks.hold()) {
                run = executor.start("gf-1", Plan.of("q", Step.of("w", "writer", chatty)));
                assertThat(flushCalled.await(10, TimeUnit.SECONDS)).isTrue();
            }
            Event end = run.done().get(20, TimeUnit.SECONDS);
            assertThat(end.type()).isEqualTo(EventTypes.RUN_COMPLETED);
            assertThat(allDoneAtFlush).isTrue();
            assertThat(server.engine().read("gf-1", 0, 100).events()).extracting(Event::type)
                    .contains(EventTypes.LOG_LINE, EventTypes.AGENT_THINKING);
        }
    }
}
