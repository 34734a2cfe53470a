package io.runcast.engine;

import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.RunInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends runs whose producer vanished: an open run with no event for {@code after} gets
 * {@code run.failed} with reason {@code abandoned}, so no subscriber waits forever for an end that
 * will never come (seed 004's "never-ending streams").
 */
public final class AbandonedRuns implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AbandonedRuns.class);
    private static final int SCAN_LIMIT = 10_000;

    private final Engine engine;
    private final Duration after;

    public AbandonedRuns(Engine engine, Duration after) {
        this.engine = engine;
        this.after = after;
    }

    /** How often to scan: often enough that a run is ended within ~25% of the timeout. */
    public Duration period() {
        long ms = Math.max(100, Math.min(after.toMillis() / 4, 30_000));
        return Duration.ofMillis(ms);
    }

    @Override
    public void run() {
        try {
            Instant cutoff = Instant.now().minus(after);
            for (RunInfo info : engine.list(SCAN_LIMIT, true)) {
                if (info.updatedAt() != null && info.updatedAt().isBefore(cutoff)) end(info);
            }
        } catch (RuntimeException e) {
            log.warn("abandoned-run scan failed; will retry", e);
        }
    }

    private void end(RunInfo info) {
        var data = Json.object().put("reason", "abandoned")
                .put("message", "no event for " + after.toSeconds() + "s; the producer is presumed gone")
                .put("last_event", info.updatedAt().toString());
        try {
            engine.publish(info.run(), EventDraft.of(EventTypes.RUN_FAILED, data)).toCompletableFuture().join();
            log.info("run {} ended as abandoned after {} idle", info.run(), after);
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuncastException re && re.code() == ErrorCode.RUN_CLOSED) return; // ended meanwhile
            log.warn("could not end abandoned run {}", info.run(), e.getCause());
        }
    }
}
