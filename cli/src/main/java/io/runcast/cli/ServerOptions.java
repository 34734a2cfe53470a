package io.runcast.cli;

import io.runcast.config.RuncastConfig;
import io.runcast.engine.Limits;
import io.runcast.store.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** Server flags shared by {@code serve} and {@code demo}; each also reads RUNCAST_* and the YAML file. */
public final class ServerOptions {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)(i?b)?");

    @Option(names = "--config", description = "YAML file with option values (keys = option names)")
    String config;

    @Option(names = "--host", defaultValue = RuncastConfig.DEFAULT_HOST, description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "" + RuncastConfig.DEFAULT_PORT, description = "HTTP/WebSocket port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data", defaultValue = "runcast-data", description = "directory for durable state (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--store", defaultValue = RuncastConfig.DEFAULT_STORE, description = "sqlite or memory (default: ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--sync", defaultValue = RuncastConfig.DEFAULT_SYNC, description = "SQLite sync policy: full, normal or off (default: ${DEFAULT-VALUE})")
    String sync;

    @Option(names = "--heartbeat", defaultValue = "25s", description = "server ping interval (default: ${DEFAULT-VALUE})")
    String heartbeat;

    @Option(names = "--idle-timeout", defaultValue = "60s", description = "close clients silent this long (default: ${DEFAULT-VALUE})")
    String idleTimeout;

    @Option(names = "--handshake-timeout", defaultValue = "10s", description = "first request/message deadline (default: ${DEFAULT-VALUE})")
    String handshakeTimeout;

    @Option(names = "--max-frame-bytes", defaultValue = "" + RuncastConfig.DEFAULT_MAX_FRAME_BYTES, description = "largest inbound frame/body (default: ${DEFAULT-VALUE})")
    int maxFrameBytes;

    @Option(names = "--outbound-limit", defaultValue = "" + RuncastConfig.DEFAULT_OUTBOUND_LIMIT, description = "bytes queued per connection before it is cut off as too slow (default: ${DEFAULT-VALUE})")
    long outboundLimit;

    @Option(names = "--max-subscriptions", defaultValue = "" + RuncastConfig.DEFAULT_MAX_SUBSCRIPTIONS, description = "subscriptions per connection (default: ${DEFAULT-VALUE})")
    int maxSubscriptions;

    @Option(names = "--allow-publish", defaultValue = "true", arity = "1", description = "let WebSocket clients publish (default: ${DEFAULT-VALUE})")
    boolean allowPublish;

    @Option(names = "--abandon-after", defaultValue = "30m", description = "fail open runs silent this long; 0 = never (default: ${DEFAULT-VALUE})")
    String abandonAfter;

    @Option(names = "--max-event-bytes", defaultValue = "" + Limits.DEFAULT_MAX_EVENT_BYTES, description = "largest event data (default: ${DEFAULT-VALUE})")
    int maxEventBytes;

    @Option(names = "--history-events", defaultValue = "0", description = "trim each run to its newest N events; 0 = keep the whole run (default: ${DEFAULT-VALUE})")
    int historyEvents;

    @Option(names = "--history-age", defaultValue = "0", description = "trim events older than this; 0 = keep the whole run (default: ${DEFAULT-VALUE})")
    String historyAge;

    @Option(names = "--memory-budget", defaultValue = "auto", description = "heap the memory store's history may take: 512m, 2g, bytes, or auto = 256m, at most a quarter of the heap (default: ${DEFAULT-VALUE})")
    String memoryBudget;

    @Option(names = "--closed-run-ttl", defaultValue = "7d", description = "closed runs are removed after this; 0 = never (default: ${DEFAULT-VALUE})")
    String closedRunTtl;

    @Option(names = "--idempotency-window", defaultValue = "10m", description = "how long idempotency keys are remembered (default: ${DEFAULT-VALUE})")
    String idempotencyWindow;

    RuncastConfig toConfig() {
        return RuncastConfig.builder()
                .host(host).port(port).dataDir(data).store(store).sync(sync)
                .heartbeat(duration("heartbeat", heartbeat)).idleTimeout(duration("idle-timeout", idleTimeout))
                .handshakeTimeout(duration("handshake-timeout", handshakeTimeout))
                .maxFrameBytes(maxFrameBytes).outboundLimitBytes(outboundLimit).maxSubscriptions(maxSubscriptions)
                .allowPublish(allowPublish).abandonAfter(duration("abandon-after", abandonAfter))
                .limits(new Limits(maxEventBytes, Limits.DEFAULT_MAX_BATCH, Limits.DEFAULT_MAX_NAME))
                .retention(new Retention(historyEvents, duration("history-age", historyAge),
                        duration("closed-run-ttl", closedRunTtl), duration("idempotency-window", idempotencyWindow),
                        bytes("memory-budget", memoryBudget)))
                .build();
    }

    /** Parses 64k, 512m, 2g (binary multiples; a trailing b or ib is allowed), a bare number of bytes, or auto. */
    static long bytes(String option, String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("auto")) return Retention.DEFAULT_MEMORY_BUDGET;
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + option + ": '" + text + "' is not a size like 64m, 2g, 1048576 or auto");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) throw new NumberFormatException();
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + ": '" + text + "' is too large");
        }
    }

    /** Parses 500ms, 25s, 30m, 24h, 7d, or a bare number of seconds. */
    static Duration duration(String option, String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            long n = Long.parseLong(t.replaceAll("[smhd]$", ""));
            return switch (t.charAt(t.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--" + option + ": '" + text + "' is not a duration like 500ms, 25s, 30m, 24h or 7d");
        }
    }
}
