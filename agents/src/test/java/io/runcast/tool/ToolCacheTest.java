package io.runcast.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.event.Json;
import io.runcast.store.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ToolCacheTest {
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final ToolCache cache = new ToolCache(clock, 3, 1_000);

    @Test
    void get_countsAMissThenAHit() {
        assertThat(cache.get("t", "k")).isEmpty();
        cache.put("t", "k", IntNode.valueOf(7), Duration.ofMinutes(1));
        assertThat(cache.get("t", "k")).contains(IntNode.valueOf(7));
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void anEntry_expiresExactlyAtItsTtl() {
        cache.put("t", "k", IntNode.valueOf(1), Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.get("t", "k")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("t", "k")).isEmpty();
        assertThat(cache.size()).isZero();
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void keysAreScopedByTool() {
        cache.put("a", "k", IntNode.valueOf(1), Duration.ofMinutes(1));
        assertThat(cache.get("b", "k")).isEmpty();
    }

    @Test
    void pastMaxEntries_theLeastRecentlyUsedIsEvicted() {
        for (String k : new String[] {"1", "2", "3"}) cache.put("t", k, TextNode.valueOf(k), Duration.ofMinutes(1));
        cache.get("t", "1"); // now 2 is the least recently used
        cache.put("t", "4", TextNode.valueOf("4"), Duration.ofMinutes(1));
        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.get("t", "2")).isEmpty();
        assertThat(cache.get("t", "1")).isPresent();
        assertThat(cache.get("t", "4")).isPresent();
    }

    @Test
    void pastMaxChars_oldEntriesGo_andAnOversizedResultIsNotKept() {
        String big = "x".repeat(600); // 602 chars of JSON
        cache.put("t", "a", TextNode.valueOf(big), Duration.ofMinutes(1));
        cache.put("t", "b", TextNode.valueOf(big), Duration.ofMinutes(1));
        assertThat(cache.get("t", "a")).isEmpty();
        assertThat(cache.get("t", "b")).isPresent();
        cache.put("t", "c", TextNode.valueOf("y".repeat(2_000)), Duration.ofMinutes(1));
        assertThat(cache.get("t", "c")).isEmpty();
        assertThat(cache.get("t", "b")).as("an oversized put evicts nothing").isPresent();
    }

    @Test
    void aCallerCannotChangeACachedResult() {
        cache.put("t", "k", Json.parse("{\"n\":1}"), Duration.ofMinutes(1));
        ((com.fasterxml.jackson.databind.node.ObjectNode) cache.get("t", "k").orElseThrow()).put("n", 2);
        assertThat(cache.get("t", "k").orElseThrow().path("n").asInt()).isEqualTo(1);
    }

    @Test
    void defaultCacheKey_ignoresKeyOrder_outerAndRepeatedWhitespace_andNumberSpelling() {
        Tool t = Tool.named("t").describedAs("d").handler((a, c) -> null);
        String key = t.cacheKey(Json.parse("{\"q\":\"  new   york \",\"n\":2,\"o\":{\"y\":1,\"x\":[1, \"a  b\"]}}"));
        assertThat(t.cacheKey(Json.parse("{\"o\":{\"x\":[1.0,\"a b\"],\"y\":1},\"n\":2.0,\"q\":\"new york\"}"))).isEqualTo(key);
        assertThat(key).isEqualTo("{\"n\":2,\"o\":{\"x\":[1,\"a b\"],\"y\":1},\"q\":\"new york\"}");
    }

    @Test
    void defaultCacheKey_keepsCaseArrayOrderAndNulls() {
        Tool t = Tool.named("t").describedAs("d").handler((a, c) -> null);
        JsonNode base = Json.parse("{\"q\":\"Paris\",\"l\":[1,2]}");
        assertThat(t.cacheKey(Json.parse("{\"q\":\"paris\",\"l\":[1,2]}"))).isNotEqualTo(t.cacheKey(base));
        assertThat(t.cacheKey(Json.parse("{\"q\":\"Paris\",\"l\":[2,1]}"))).isNotEqualTo(t.cacheKey(base));
        assertThat(t.cacheKey(Json.parse("{\"q\":\"Paris\",\"l\":[1,2],\"x\":null}"))).isNotEqualTo(t.cacheKey(base));
    }
}
