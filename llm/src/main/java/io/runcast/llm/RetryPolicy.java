package io.runcast.llm;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before a retry: the server's {@code Retry-After} when it sent one, else exponential backoff
 * with jitter. Either way no longer than {@link LlmConfig#retryMaxBackoff()}.
 */
final class RetryPolicy {
    private final LlmConfig config;
    private final DoubleSupplier random;

    RetryPolicy(LlmConfig config, DoubleSupplier random) {
        this.config = config;
        this.random = random;
    }

    /**
     * The wait before retry {@code retry} (1, 2, …). Without {@code retryAfter}: base × 2^(retry−1), capped, less up
     * to a quarter at random, so clients that failed together do not come back together (the same jitter as the
     * official OpenAI SDKs). With it: exactly what the server asked, capped.
     */
    Duration wait(int retry, Duration retryAfter) {
        long cap = config.retryMaxBackoff().toMillis();
        if (retryAfter != null) return Duration.ofMillis(Math.min(cap, retryAfter.toMillis()));
        double exponential = config.retryBaseBackoff().toMillis() * Math.pow(2, retry - 1);
        double capped = Math.min(cap, exponential);
        return Duration.ofMillis((long) (capped * (1 - 0.25 * random.getAsDouble())));
    }

    /**
     * The server's wish, or null: {@code retry-after-ms} (OpenAI, Azure) first, then {@code Retry-After} as
     * delta-seconds or an HTTP-date (RFC 9110 §10.2.3). A date in the past means now.
     */
    static Duration retryAfter(HttpHeaders headers, Instant now) {
        String ms = headers.firstValue("retry-after-ms").orElse(null);
        if (ms != null) {
            try {
                double millis = Double.parseDouble(ms.strip());
                if (millis >= 0 && Double.isFinite(millis)) return Duration.ofMillis((long) Math.ceil(millis));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = headers.firstValue("retry-after").orElse(null);
        if (value == null || value.isBlank()) return null;
        value = value.strip();
        try {
            double seconds = Double.parseDouble(value);
            return seconds >= 0 && Double.isFinite(seconds) ? Duration.ofMillis((long) Math.ceil(seconds * 1000)) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
