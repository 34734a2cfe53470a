package io.runcast.transport.http;

import io.runcast.transport.Services;
import java.nio.charset.StandardCharsets;

/** A Prometheus text exposition of the server's gauges. */
final class Metrics {
    private Metrics() {}

    static byte[] scrape(Services s) {
        StringBuilder sb = new StringBuilder(512);
        gauge(sb, "runcast_connections", "open client connections", s.connections().size());
        gauge(sb, "runcast_subscriptions", "subscriptions on all runs", s.hub().subscriptions());
        gauge(sb, "runcast_uptime_seconds", "seconds since start",
                java.time.Duration.between(s.started(), java.time.Instant.now()).toSeconds());
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
          .append("# TYPE ").append(name).append(" gauge\n")
          .append(name).append(' ').append(value).append('\n');
    }
}
