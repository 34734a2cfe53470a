package io.runcast.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.store.TestClock;
import io.runcast.tool.ToolContext;
import io.runcast.tool.ToolRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CurrentTimeTest {
    private final TestClock clock = new TestClock(Instant.parse("2030-03-01T22:30:15.750Z")); // a Friday in UTC
    private final CurrentTime tool = new CurrentTime(clock);

    private JsonNode call(String args) {
        return tool.call(Json.parse(args), ToolContext.standalone("c"));
    }

    @Test
    void withoutAZone_reportsUtc_fromTheInjectedClock() {
        assertThat(call("{}").toString())
                .isEqualTo("{\"timezone\":\"UTC\",\"iso\":\"2030-03-01T22:30:15Z\",\"weekday\":\"Friday\",\"unix\":1898634615}");
        clock.advance(Duration.ofHours(2));
        assertThat(call("{}").path("weekday").asText()).isEqualTo("Saturday");
    }

    @Test
    void inAnIanaZone_theLocalTimeOffsetAndWeekdayFollowIt() {
        JsonNode tokyo = call("{\"timezone\": \"Asia/Tokyo\"}");
        assertThat(tokyo.path("iso").asText()).isEqualTo("2030-03-02T07:30:15+09:00");
        assertThat(tokyo.path("weekday").asText()).isEqualTo("Saturday");
        assertThat(tokyo.path("unix").asLong()).isEqualTo(1898634615L);
        assertThat(call("{\"timezone\": \"America/New_York\"}").path("iso").asText()).isEqualTo("2030-03-01T17:30:15-05:00");
    }

    @Test
    void anUnknownZone_isAnErrorNamingIt() {
        assertThatThrownBy(() -> call("{\"timezone\": \"Mars/Olympus\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown time zone 'Mars/Olympus'");
    }

    @Test
    void theSchema_refusesANonStringZone() {
        ToolRegistry r = new ToolRegistry().register(tool);
        assertThat(r.validate("current_time", Json.parse("{\"timezone\": 5}"))).isNotEmpty();
        assertThat(r.validate("current_time", Json.parse("{\"zone\": \"UTC\"}"))).isNotEmpty();
        assertThat(r.validate("current_time", Json.parse("{}"))).isEmpty();
    }
}
