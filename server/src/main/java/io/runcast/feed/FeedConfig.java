package io.runcast.feed;

import java.time.Duration;
import java.util.Objects;

/**
 * How the run feed keeps and paces its stream.
 *
 * @param retainedEvents   feed events kept for resuming clients; one that was away for longer gets
 *                         {@code recovered:false} and reloads the run list
 * @param progressInterval the shortest time between two progress summaries
 * @param runsPerProgress  most runs listed in one {@code runs.progress} event; more runs changed in
 *                         one interval are split over several events, so no event grows without bound
 */
public record FeedConfig(int retainedEvents, Duration progressInterval, int runsPerProgress) {
    public static final int DEFAULT_RETAINED_EVENTS = 10_000;
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_RUNS_PER_PROGRESS = 100;

    public static final FeedConfig DEFAULT =
            new FeedConfig(DEFAULT_RETAINED_EVENTS, DEFAULT_PROGRESS_INTERVAL, DEFAULT_RUNS_PER_PROGRESS);

    public FeedConfig {
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (retainedEvents < 1) throw new IllegalArgumentException("retainedEvents must be >= 1");
        if (progressInterval.toMillis() < 1) throw new IllegalArgumentException("progressInterval must be at least 1 ms");
        if (runsPerProgress < 1) throw new IllegalArgumentException("runsPerProgress must be >= 1");
    }

    public FeedConfig withProgressInterval(Duration interval) {
        return new FeedConfig(retainedEvents, interval, runsPerProgress);
    }

    @Override
    public String toString() {
        return "FeedConfig[retain " + retainedEvents + " events, progress every " + progressInterval.toMillis()
                + " ms, ≤ " + runsPerProgress + " runs per progress event]";
    }
}
