package io.runcast.config;

import io.runcast.engine.Limits;
import io.runcast.store.Retention;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a Runcast server is configured with. Validated on construction; the defaults are the
 * named constants below. The CLI builds it from flags, RUNCAST_* environment variables and a YAML
 * file (see docs/configuration.md).
 *
 * @param host              address to bind
 * @param port              TCP port for HTTP and WebSocket (0 picks a free one)
 * @param dataDir           where durable state lives
 * @param store             "sqlite" (durable, default) or "memory"
 * @param sync              SQLite sync policy name: "full", "normal" or "off"
 * @param heartbeat         how often the server pings each WebSocket client
 * @param idleTimeout       a client that sends nothing for this long is closed (4001)
 * @param handshakeTimeout  an HTTP request or a WebSocket's first message must arrive within this
 * @param maxFrameBytes     largest inbound frame or HTTP body answered with a structured error; 4x this closes the connection
 * @param outboundLimitBytes bytes queued to one connection before it is cut off as too slow (4000)
 * @param maxSubscriptions  subscriptions per connection
 * @param allowPublish      whether WebSocket clients may publish
 * @param abandonAfter      an open run with no event for this long is failed with reason "abandoned" (ZERO: never)
 * @param limits            input limits
 * @param retention         history retention: count and age limits (off by default: whole runs are kept),
 *                          closed-run TTL, idempotency window, and the memory store's heap budget
 */
public record RuncastConfig(
        String host, int port, Path dataDir, String store, String sync,
        Duration heartbeat, Duration idleTimeout, Duration handshakeTimeout,
        int maxFrameBytes, long outboundLimitBytes, int maxSubscriptions, boolean allowPublish,
        Duration abandonAfter, Limits limits, Retention retention) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;
    public static final Path DEFAULT_DATA_DIR = Path.of("runcast-data");
    public static final String DEFAULT_STORE = "sqlite";
    public static final String DEFAULT_SYNC = "normal";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(25);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_FRAME_BYTES = 256 * 1024;
    public static final long DEFAULT_OUTBOUND_LIMIT = 4L * 1024 * 1024;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1000;
    public static final Duration DEFAULT_ABANDON_AFTER = Duration.ofMinutes(30);

    public RuncastConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (!store.equals("sqlite") && !store.equals("memory")) {
            throw new IllegalArgumentException("store must be sqlite or memory, was " + store);
        }
        if (!sync.equals("full") && !sync.equals("normal") && !sync.equals("off")) {
            throw new IllegalArgumentException("sync must be full, normal or off, was " + sync);
        }
        positive("heartbeat", heartbeat);
        positive("idle-timeout", idleTimeout);
        positive("handshake-timeout", handshakeTimeout);
        if (abandonAfter.isNegative()) throw new IllegalArgumentException("abandon-after must not be negative");
        if (maxFrameBytes < 1024) throw new IllegalArgumentException("max-frame-bytes must be >= 1024");
        if (outboundLimitBytes < 64 * 1024) throw new IllegalArgumentException("outbound-limit must be >= 65536");
        if (maxSubscriptions < 1) throw new IllegalArgumentException("max-subscriptions must be >= 1");
    }

    private static void positive(String name, Duration d) {
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(name + " must be positive");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host; b.port = port; b.dataDir = dataDir; b.store = store; b.sync = sync;
        b.heartbeat = heartbeat; b.idleTimeout = idleTimeout; b.handshakeTimeout = handshakeTimeout;
        b.maxFrameBytes = maxFrameBytes; b.outboundLimitBytes = outboundLimitBytes;
        b.maxSubscriptions = maxSubscriptions; b.allowPublish = allowPublish; b.abandonAfter = abandonAfter;
        b.limits = limits; b.retention = retention;
        return b;
    }

    /** Mutable builder starting from the defaults. */
    public static final class Builder {
        public String host = DEFAULT_HOST;
        public int port = DEFAULT_PORT;
        public Path dataDir = DEFAULT_DATA_DIR;
        public String store = DEFAULT_STORE;
        public String sync = DEFAULT_SYNC;
        public Duration heartbeat = DEFAULT_HEARTBEAT;
        public Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        public Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        public int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        public long outboundLimitBytes = DEFAULT_OUTBOUND_LIMIT;
        public int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
        public boolean allowPublish = true;
        public Duration abandonAfter = DEFAULT_ABANDON_AFTER;
        public Limits limits = Limits.DEFAULT;
        public Retention retention = Retention.DEFAULT;

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder store(String v) { store = v; return this; }
        public Builder sync(String v) { sync = v; return this; }
        public Builder heartbeat(Duration v) { heartbeat = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }
        public Builder outboundLimitBytes(long v) { outboundLimitBytes = v; return this; }
        public Builder maxSubscriptions(int v) { maxSubscriptions = v; return this; }
        public Builder allowPublish(boolean v) { allowPublish = v; return this; }
        public Builder abandonAfter(Duration v) { abandonAfter = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }
        public Builder retention(Retention v) { retention = v; return this; }

        public RuncastConfig build() {
            return new RuncastConfig(host, port, dataDir, store, sync, heartbeat, idleTimeout, handshakeTimeout,
                    maxFrameBytes, outboundLimitBytes, maxSubscriptions, allowPublish, abandonAfter, limits, retention);
        }
    }
}
