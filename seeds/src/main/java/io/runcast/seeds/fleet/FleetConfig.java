package io.runcast.seeds.fleet;

import java.time.Duration;

/**
 * Seed 004's timings.
 *
 * @param handshakeTimeout how long a new socket may take to send its chat request before it gets an
 *                         {@code error} and is closed (the project's 15 s)
 * @param heartbeat        how often a streaming socket gets {@code {"type":"heartbeat"}} (the project's 5 s)
 * @param rejoinWindow     how long after a run ended the same request (conversation and message) still
 *                         gets that run's stream instead of a new run; while the run executes it always does
 */
public record FleetConfig(Duration handshakeTimeout, Duration heartbeat, Duration rejoinWindow) {
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration REJOIN_WINDOW = Duration.ofSeconds(30);
    public static final FleetConfig DEFAULT = new FleetConfig(HANDSHAKE_TIMEOUT, HEARTBEAT, REJOIN_WINDOW);

    public FleetConfig {
        positive("handshakeTimeout", handshakeTimeout);
        positive("heartbeat", heartbeat);
        if (rejoinWindow == null || rejoinWindow.isNegative()) throw new IllegalArgumentException("rejoinWindow must be >= 0: " + rejoinWindow);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
}
