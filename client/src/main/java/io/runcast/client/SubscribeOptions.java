package io.runcast.client;

import java.util.List;

/**
 * What to ask for when subscribing.
 *
 * @param types type patterns such as {@code step.*}; null or empty = every type
 * @param since start after this seq (0 = from the start of the retained history)
 * @param epoch the epoch {@code since} refers to, or null
 */
public record SubscribeOptions(List<String> types, long since, String epoch) {
    public static final SubscribeOptions ALL = new SubscribeOptions(null, 0, null);

    public SubscribeOptions {
        types = types == null ? List.of() : List.copyOf(types);
        if (since < 0) throw new IllegalArgumentException("since must be >= 0");
    }

    public static SubscribeOptions types(String... patterns) {
        return new SubscribeOptions(List.of(patterns), 0, null);
    }

    public SubscribeOptions after(long seq, String epochOfSeq) {
        return new SubscribeOptions(types, seq, epochOfSeq);
    }
}
