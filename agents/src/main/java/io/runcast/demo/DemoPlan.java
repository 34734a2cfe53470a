package io.runcast.demo;

import io.runcast.control.StreamControl;
import io.runcast.engine.Engine;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.Plan;
import io.runcast.exec.PlanExecutor;
import io.runcast.exec.Retry;
import io.runcast.exec.RunExecution;
import io.runcast.exec.Step;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: a realistic multi-agent run (planner → researcher ∥ analyst → reviewer asking a human →
 * writer streaming its answer token by token), run over and over on a {@link PlanExecutor}.
 *
 * <p>Across each cycle of four runs the stream covers the whole event catalogue: every run is paused
 * and resumed once (at its first tool call) and has a retried tool failure and a decision with a
 * default and a timeout (so it never hangs); the third run of a cycle fails at a quality gate; the
 * fourth is cancelled while it waits for the human.
 */
public final class DemoPlan {
    private static final Logger log = LoggerFactory.getLogger(DemoPlan.class);

    /** What a demo run should do besides the happy path. */
    public enum Variant { COMPLETES, FAILS, CANCELLED }

    /**
     * @param prefix          run ids are {@code prefix-1}, {@code prefix-2} …
     * @param pace            multiplies every scripted delay: 1.0 to watch, 0.01 in tests
     * @param gap             wait between runs
     * @param decisionTimeout how long the reviewer's question waits before the default is taken
     * @param onRun           told each run id as it starts (e.g. to print where to watch it)
     */
    public record Options(String prefix, double pace, Duration gap, Duration decisionTimeout, Consumer<String> onRun) {
        public static final Options DEFAULT = new Options("demo", 1.0, Duration.ofSeconds(3), Duration.ofSeconds(10), run -> { });

        public Options {
            Objects.requireNonNull(prefix);
            if (pace <= 0) throw new IllegalArgumentException("pace must be > 0");
            onRun = onRun == null ? run -> { } : onRun;
        }

        public Options withOnRun(Consumer<String> onRun) {
            return new Options(prefix, pace, gap, decisionTimeout, onRun);
        }
    }

    private DemoPlan() {}

    /** The demo plan for one run. */
    public static Plan build(Variant variant, Options options) {
        DemoAgents a = new DemoAgents(options.pace(), options.decisionTimeout());
        return Plan.of("How are teams streaming AI agent runs to browsers?",
                Step.of("plan", "planner", a.planner()),
                Step.of("research", "researcher", a.researcher(), "plan")
                        .withRetry(Retry.times(3, Duration.ofMillis(Math.max(1, Math.round(400 * options.pace()))))),
                Step.of("analyze", "analyst", a.analyst(variant == Variant.FAILS), "plan"),
                Step.of("review", "reviewer", a.reviewer(), "research", "analyze"),
                Step.of("write", "writer", a.writer(), "review"));
    }

    /** The variant of the n-th run (1-based) of a demo loop. */
    public static Variant variant(long n) {
        return switch ((int) (n % 4)) {
            case 3 -> Variant.FAILS;
            case 0 -> Variant.CANCELLED;
            default -> Variant.COMPLETES;
        };
    }

    /**
     * Runs one demo run to its end and returns the terminal event. Pauses it for a moment at its first
     * tool call and, for {@link Variant#CANCELLED}, cancels it while it waits for the human.
     */
    public static Event runOnce(PlanExecutor executor, StreamControl control, String run, Variant variant, Options options)
            throws Exception {
        Set<String> once = ConcurrentHashMap.newKeySet();
        long hold = Math.max(1, Math.round(1500 * options.pace()));
        AutoCloseable pauser = executor.handlers().on(EventTypes.TOOL_CALL, e -> {
            if (!e.run().equals(run) || !once.add("pause")) return;
            control.pause(run, "demo").toCompletableFuture().exceptionally(x -> null).join();
            sleepThen(hold, () -> control.resume(run, "demo"));
        });
        AutoCloseable canceller = executor.handlers().on(EventTypes.DECISION_REQUESTED, e -> {
            if (!e.run().equals(run) || variant != Variant.CANCELLED || !once.add("cancel")) return;
            sleepThen(hold, () -> control.cancel(run, "demo", "cancelled by the demo to show cancellation"));
        });
        try {
            options.onRun().accept(run);
            RunExecution r = executor.start(run, build(variant, options));
            return r.done().get(10 + Math.round(120 * options.pace()) + options.decisionTimeout().toSeconds(), TimeUnit.SECONDS);
        } finally {
            pauser.close();
            canceller.close();
        }
    }

    /**
     * Keeps demo runs going, one after another, until the returned handle is closed (which also
     * fails a run still going with reason {@code executor shutdown}). For {@code ./runcast demo}:
     * <pre>{@code
     * AutoCloseable demo = DemoPlan.runForever(server.engine(), control,
     *         DemoPlan.Options.DEFAULT.withOnRun(run -> System.out.println("watching " + run)));
     * }</pre>
     */
    public static AutoCloseable runForever(Engine engine, StreamControl control, Options options) {
        PlanExecutor executor = new PlanExecutor(engine, control, ExecutorConfig.DEFAULT);
        String prefix = options.prefix() + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        Thread loop = new Thread(() -> {
            for (long n = 1; !Thread.currentThread().isInterrupted(); n++) {
                try {
                    runOnce(executor, control, prefix + "-" + n, variant(n), options);
                    Thread.sleep(options.gap().toMillis());
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    log.warn("demo run {} did not finish cleanly: {}", n, e.toString());
                }
            }
        }, "runcast-demo");
        loop.setDaemon(true);
        loop.start();
        return () -> {
            loop.interrupt();
            executor.close();
        };
    }

    private static void sleepThen(long ms, Runnable r) {
        // Handlers run on the executor's pool, so a short sleep here delays only this handler.
        try {
            Thread.sleep(ms);
            r.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
