package io.runcast.hub;

import java.time.Duration;

/**
 * @param replayPage   most events read from the store per history page (fewer once the hub has seen
 *                     how much the connection takes between two waits)
 * @param maxPending   bytes of live events parked per subscription while it catches up; beyond this
 *                     the subscriber is treated as too slow (bytes, not events, so large events cannot
 *                     make the bound meaningless)
 * @param replayStall  how long a replay waits for a connection that does not drain before it closes
 *                     it as too slow (a timer, not a waiting thread)
 */
public record HubConfig(int replayPage, long maxPending, Duration replayStall) {
    public static final int DEFAULT_REPLAY_PAGE = 500;
    public static final long DEFAULT_MAX_PENDING = 8L * 1024 * 1024;
    public static final Duration DEFAULT_REPLAY_STALL = Duration.ofSeconds(10);
    public static final HubConfig DEFAULT = new HubConfig(DEFAULT_REPLAY_PAGE, DEFAULT_MAX_PENDING, DEFAULT_REPLAY_STALL);

    public HubConfig {
        if (replayPage < 1 || maxPending < 1) throw new IllegalArgumentException("replayPage and maxPending must be >= 1");
        if (replayStall.isZero() || replayStall.isNegative()) throw new IllegalArgumentException("replayStall must be positive");
    }

    public HubConfig withReplayStall(Duration stall) {
        return new HubConfig(replayPage, maxPending, stall);
    }
}
