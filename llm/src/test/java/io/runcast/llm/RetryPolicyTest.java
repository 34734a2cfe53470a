package io.runcast.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private final LlmConfig config = LlmConfig.of("http://localhost:1/v1", "m", null)
            .withRetries(5, Duration.ofMillis(100), Duration.ofSeconds(1));

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }

    @Test
    void backoff_doublesFromTheBase_upToTheCap_lessAtMostAQuarterOfJitter() {
        RetryPolicy noJitter = new RetryPolicy(config, () -> 0.0);
        RetryPolicy fullJitter = new RetryPolicy(config, () -> 0.999_999);

        assertThat(List.of(1, 2, 3, 4, 5).stream().map(n -> noJitter.wait(n, null).toMillis()).toList())
                .containsExactly(100L, 200L, 400L, 800L, 1000L);
        assertThat(fullJitter.wait(1, null).toMillis()).isEqualTo(75);
        assertThat(fullJitter.wait(5, null).toMillis()).isEqualTo(750);
    }

    @Test
    void retryAfter_isTakenAsIs_butNoLongerThanTheCap() {
        RetryPolicy policy = new RetryPolicy(config, () -> 0.5);

        assertThat(policy.wait(1, Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
        assertThat(policy.wait(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryAfter_parsesDeltaSecondsHttpDatesAndRetryAfterMs() {
        assertThat(RetryPolicy.retryAfter(headers("retry-after", "7"), NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryPolicy.retryAfter(headers("retry-after", "1.5"), NOW)).isEqualTo(Duration.ofMillis(1500));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(30).atZone(ZoneOffset.UTC));
        assertThat(RetryPolicy.retryAfter(headers("retry-after", date), NOW)).isEqualTo(Duration.ofSeconds(30));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(30).atZone(ZoneOffset.UTC));
        assertThat(RetryPolicy.retryAfter(headers("retry-after", past), NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryPolicy.retryAfter(headers("retry-after-ms", "250"), NOW)).isEqualTo(Duration.ofMillis(250));
        assertThat(RetryPolicy.retryAfter(headers("retry-after", "soon"), NOW)).isNull();
        assertThat(RetryPolicy.retryAfter(headers("retry-after", "-3"), NOW)).isNull();
        assertThat(RetryPolicy.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true), NOW)).isNull();
    }

    @Test
    void errorBody_yieldsTheServersMessage_inTheShapesServersUse() {
        assertThat(ErrorBody.message("{\"error\":{\"message\":\"Rate limit\",\"type\":\"requests\"}}")).isEqualTo("Rate limit");
        assertThat(ErrorBody.message("{\"error\":\"model 'x' not found\"}")).isEqualTo("model 'x' not found");
        assertThat(ErrorBody.message("{\"object\":\"error\",\"message\":\"too long\",\"code\":400}")).isEqualTo("too long");
        assertThat(ErrorBody.message("{\"detail\":\"Not Found\"}")).isEqualTo("Not Found");
        assertThat(ErrorBody.message("upstream connect error")).isEqualTo("upstream connect error");
        assertThat(ErrorBody.message("<html><body>502</body></html>")).isNull();
        assertThat(ErrorBody.message("")).isNull();
    }
}
