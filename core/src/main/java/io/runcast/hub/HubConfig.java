package io.runcast.hub;

import java.time.Duration;

/**
 * @param replayPage   events read from the store per history page
 * @param maxPending   live events parked per subscription while it replays history; beyond this the
 *                     subscriber is treated as too slow
 * @param replayStall  how long a replay waits for a connection that does not drain before giving up
 */
public record HubConfig(int replayPage, int maxPending, Duration replayStall) {
    public static final HubConfig DEFAULT = new HubConfig(500, 20_000, Duration.ofSeconds(10));

    public HubConfig {
        if (replayPage < 1 || maxPending < 1) throw new IllegalArgumentException("replayPage and maxPending must be >= 1");
    }
}
