package io.runcast.hub;

import java.time.Duration;

/**
 * @param replayPage   events read from the store per history page
 * @param maxPending   bytes of live events parked per subscription while it replays history; beyond
 *                     this the subscriber is treated as too slow (bytes, not events, so large events
 *                     cannot make the bound meaningless)
 * @param replayStall  how long a replay waits for a connection that does not drain before giving up
 */
public record HubConfig(int replayPage, long maxPending, Duration replayStall) {
    public static final HubConfig DEFAULT = new HubConfig(500, 8L * 1024 * 1024, Duration.ofSeconds(10));

    public HubConfig {
        if (replayPage < 1 || maxPending < 1) throw new IllegalArgumentException("replayPage and maxPending must be >= 1");
    }
}
