package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Results of cacheable tools, keyed by tool name and {@link Tool#cacheKey}, each kept for its tool's TTL.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Time comes from the injected {@link Clock}: an entry is served while {@code now < stored + ttl}.</li>
 *   <li>Bounded twice: at most {@code maxEntries} entries and at most {@code maxChars} characters of
 *       result JSON in all. Past either bound the least recently used entries are evicted (expired
 *       ones go first when met); a single result larger than {@code maxChars} is not cached.</li>
 *   <li>{@link #get} counts a hit or a miss (an expired entry is a miss); {@link #put} counts nothing.</li>
 *   <li>Values are stored as JSON text, so callers cannot change a cached result through a node they hold.</li>
 *   <li>Thread-safe (one lock; every operation is short).</li>
 * </ul>
 */
public final class ToolCache {
    public static final int DEFAULT_MAX_ENTRIES = 1_000;
    /** 8 Mi characters of JSON: about 16 MiB of heap for the strings. */
    public static final long DEFAULT_MAX_CHARS = 8L * 1024 * 1024;

    private record Entry(String json, Instant expires) {}

    private final Clock clock;
    private final int maxEntries;
    private final long maxChars;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true); // access order = LRU
    private long chars;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /** On the system clock with the default bounds. */
    public ToolCache() {
        this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES, DEFAULT_MAX_CHARS);
    }

    public ToolCache(Clock clock, int maxEntries, long maxChars) {
        if (maxEntries < 1 || maxChars < 1) throw new IllegalArgumentException("cache bounds must be positive");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
    }

    /** The cached result of {@code tool} for {@code key} while it is fresh; counts a hit or a miss. */
    public Optional<JsonNode> get(String tool, String key) {
        String k = key(tool, key);
        String json;
        synchronized (this) {
            Entry e = entries.get(k);
            if (e != null && !clock.instant().isBefore(e.expires)) {
                remove(k);
                e = null;
            }
            json = e == null ? null : e.json;
        }
        if (json == null) {
            misses.incrementAndGet();
            return Optional.empty();
        }
        hits.incrementAndGet();
        return Optional.of(Json.parse(json));
    }

    /** Stores a result for {@code ttl}; a zero TTL or an oversized result stores nothing (and drops an older entry). */
    public void put(String tool, String key, JsonNode value, Duration ttl) {
        String k = key(tool, key);
        String json = Json.write(value);
        synchronized (this) {
            remove(k);
            if (ttl.isZero() || ttl.isNegative() || json.length() > maxChars) return;
            entries.put(k, new Entry(json, clock.instant().plus(ttl)));
            chars += json.length();
            evict();
        }
    }

    /** Forgets every entry (the counters are kept). */
    public synchronized void clear() {
        entries.clear();
        chars = 0;
    }

    public synchronized int size() {
        return entries.size();
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    @Override
    public synchronized String toString() {
        return "ToolCache[entries=" + entries.size() + "/" + maxEntries + ", chars=" + chars + "/" + maxChars
                + ", hits=" + hits + ", misses=" + misses + "]";
    }

    private void evict() {
        if (entries.size() <= maxEntries && chars <= maxChars) return;
        Instant now = clock.instant();
        entries.values().removeIf(e -> {
            boolean expired = !now.isBefore(e.expires);
            if (expired) chars -= e.json.length();
            return expired;
        });
        Iterator<Map.Entry<String, Entry>> lru = entries.entrySet().iterator();
        while ((entries.size() > maxEntries || chars > maxChars) && lru.hasNext()) {
            chars -= lru.next().getValue().json.length();
            lru.remove();
        }
    }

    private void remove(String k) {
        Entry old = entries.remove(k);
        if (old != null) chars -= old.json.length();
    }

    /** The tool name cannot contain NUL (see {@link Tool#NAME}), so no two (tool, key) pairs share a key. */
    private static String key(String tool, String key) {
        return tool + '\u0000' + key;
    }
}
