package io.runcast.event;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A subscriber's choice of event types: exact names or patterns with {@code *} wildcards
 * ({@code step.*}, {@code *.delta}, {@code *}). Terminal events always pass, so that every
 * subscriber learns that the stream ended.
 */
public final class TypeFilter {
    public static final TypeFilter ALL = new TypeFilter(List.of(), null);

    private final List<String> patterns;
    private final Pattern regex;

    private TypeFilter(List<String> patterns, Pattern regex) {
        this.patterns = patterns;
        this.regex = regex;
    }

    /** Builds a filter; an empty or null list means every type. */
    public static TypeFilter of(List<String> patterns) {
        if (patterns == null || patterns.isEmpty() || patterns.contains("*")) return ALL;
        StringBuilder sb = new StringBuilder();
        for (String p : patterns) {
            if (p == null || p.isEmpty() || p.length() > 128 || !p.matches("[a-z0-9_.*\\-]+")) {
                throw new IllegalArgumentException("invalid type pattern: " + p);
            }
            if (sb.length() > 0) sb.append('|');
            String[] parts = p.split("\\*", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) sb.append(".*");
                sb.append(Pattern.quote(parts[i]));
            }
        }
        return new TypeFilter(List.copyOf(patterns), Pattern.compile(sb.toString()));
    }

    public boolean accepts(String type) {
        return regex == null || EventTypes.isTerminal(type) || regex.matcher(type).matches();
    }

    public List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return regex == null ? "*" : String.join(",", patterns);
    }
}
