package io.runcast.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The default cache key of {@link Tool#cacheKey}: compact JSON with object keys sorted, strings trimmed
 * with inner whitespace runs collapsed to one space, and numbers written by value. Two argument objects
 * a model would consider "the same call" (key order, stray spaces, {@code 2} vs {@code 2.0}) get one key.
 */
final class CanonicalJson {
    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private CanonicalJson() {}

    static String of(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    /** Trimmed, inner whitespace runs collapsed to one space. */
    static String normalize(String s) {
        return SPACES.matcher(s.strip()).replaceAll(" ");
    }

    private static void write(JsonNode n, StringBuilder sb) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) sorted.put(e.getKey(), e.getValue());
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                sb.append(TextNode.valueOf(e.getKey())).append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) sb.append(',');
                write(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            sb.append(TextNode.valueOf(normalize(n.textValue())));
        } else if (n.isNumber()) {
            // Infinite doubles (1e400) have no decimal value; their text is as canonical as it gets.
            if ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue())) sb.append(n.doubleValue());
            else sb.append(n.decimalValue().stripTrailingZeros()); // toString keeps 1e1000000 short, unlike toPlainString
        } else {
            sb.append(n);
        }
    }
}
