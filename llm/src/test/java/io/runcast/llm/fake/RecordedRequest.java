package io.runcast.llm.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as {@link FakeOpenAi} received it.
 *
 * @param index      its place among all requests to the fake, from 0
 * @param connection the connection it came on, from 0 (see {@link FakeOpenAi#awaitClientClose})
 * @param method     e.g. {@code POST}
 * @param path       the request target as sent, e.g. {@code /v1/chat/completions}
 * @param headers    every header, names in lower case, values in the order sent
 * @param body       the body as UTF-8 text ("" when none)
 * @param json       the body parsed, when it is a JSON object; else null
 */
public record RecordedRequest(int index, int connection, String method, String path, Map<String, List<String>> headers,
                              String body, ObjectNode json) {

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
