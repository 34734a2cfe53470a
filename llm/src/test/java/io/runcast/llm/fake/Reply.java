package io.runcast.llm.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link FakeOpenAi} answers to one request: a script, built once and enqueued once.
 *
 * <p>A streamed reply is a sequence of steps played in the order they were added. The chunks look like OpenAI's:
 * an opening chunk with {@code delta.role}, one chunk per delta, a closing chunk with the {@code finish_reason}
 * (added for you unless {@link #finish} was), the usage chunk with {@code choices: []} when the request asked for
 * it ({@code stream_options.include_usage}), then {@code data: [DONE]}. {@link #stall()} and {@link #cut()} end
 * the script early, where they stand:
 * <pre>{@code
 * Reply.stream().reasoning("Let me", " think").content("Hel", "lo").usage(12, 4)
 * Reply.stream().toolCall(0, "call_a", "search", "{\"q\":", "\"runcast\"}").toolCall(1, "call_b", "fetch", "{}")
 * Reply.stream().content("a", "b").stall()          // two deltas, then silence until the client hangs up
 * Reply.stream().content("a").cut()                 // one delta, half a data: line, then the socket closes
 * Reply.error(429, "Rate limit reached").retryAfter("2")
 * Reply.noResponse()                                // reads the request, never answers
 * }</pre>
 */
public final class Reply {
    enum Kind { STREAM, ERROR, NO_RESPONSE }

    /** One step of a streamed reply. */
    sealed interface Step permits Delta, Reasoning, Raw, Pause, Stall, Cut {}

    /** A chunk carrying {@code delta} and {@code finishReason} (null for none). */
    record Delta(ObjectNode delta, String finishReason) implements Step {}

    /** A reasoning delta, in whichever field {@link #reasoningField} names when it is played. */
    record Reasoning(String text) implements Step {}

    record Raw(String text) implements Step {}

    record Pause(Duration duration) implements Step {}

    record Stall() implements Step {}

    record Cut() implements Step {}

    final Kind kind;
    final int status;
    final String errorMessage;
    final List<Step> steps = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    String reasoningField = "reasoning_content";
    Duration delayEach = Duration.ZERO;
    int fragmentBytes;
    Long promptTokens;
    Long completionTokens;
    boolean toolCalls;
    boolean finished;
    boolean ended;

    private Reply(Kind kind, int status, String errorMessage) {
        this.kind = kind;
        this.status = status;
        this.errorMessage = errorMessage;
    }

    /** A 200 event stream; add its steps with the methods below. */
    public static Reply stream() {
        return new Reply(Kind.STREAM, 200, null);
    }

    /** A stream of {@code text} as content, in {@code parts} deltas of about equal length (split between code points). */
    public static Reply text(String text, int parts) {
        return stream().content(split(text, parts));
    }

    /**
     * An error status with OpenAI's JSON error body: {@code {"error":{"message":…,"type":…,"param":null,"code":…}}},
     * the type and code chosen by status as the real API does.
     */
    public static Reply error(int status, String message) {
        if (status < 400 || status > 599) throw new IllegalArgumentException("an error status is 4xx or 5xx: " + status);
        return new Reply(Kind.ERROR, status, Objects.requireNonNull(message));
    }

    /** Reads the request and then says nothing at all, not even headers, until the client closes the connection. */
    public static Reply noResponse() {
        return new Reply(Kind.NO_RESPONSE, 0, null);
    }

    /** One content delta per argument. */
    public Reply content(String... deltas) {
        for (String d : deltas) step(new Delta(Json.object().put("content", d), null));
        return this;
    }

    /** One reasoning delta per argument, in {@link #reasoningField} ({@code reasoning_content} unless changed). */
    public Reply reasoning(String... deltas) {
        for (String d : deltas) step(new Reasoning(d));
        return this;
    }

    /** Which delta field carries reasoning in this reply: {@code reasoning_content} (default) or {@code reasoning}. */
    public Reply reasoningField(String field) {
        this.reasoningField = Objects.requireNonNull(field);
        return this;
    }

    /**
     * Tool call {@code index}, as OpenAI streams it: a first delta with {@code id}, {@code type}, the function's
     * {@code name} and empty {@code arguments}, then one delta per argument piece carrying only {@code index} and
     * {@code function.arguments}.
     */
    public Reply toolCall(int index, String id, String name, String... argumentPieces) {
        ObjectNode first = Json.object();
        ObjectNode call = first.putArray("tool_calls").addObject().put("index", index).put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", "");
        step(new Delta(first, null));
        for (String piece : argumentPieces) {
            ObjectNode delta = Json.object();
            delta.putArray("tool_calls").addObject().put("index", index).putObject("function").put("arguments", piece);
            step(new Delta(delta, null));
        }
        toolCalls = true;
        return this;
    }

    /** The closing chunk, with an empty delta and this {@code finish_reason}, here rather than at the end. */
    public Reply finish(String reason) {
        step(new Delta(Json.object(), Objects.requireNonNull(reason)));
        finished = true;
        return this;
    }

    /** The counts of the usage chunk. Without this the fake counts: the request body's length / 4, and the deltas. */
    public Reply usage(long promptTokens, long completionTokens) {
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        return this;
    }

    /** Text written into the body as it is, e.g. {@code "data: {not json\n\n"} or {@code ": keep-alive\n\n"}. */
    public Reply raw(String text) {
        step(new Raw(text));
        return this;
    }

    /** Waits this long before the next step. */
    public Reply pause(Duration duration) {
        step(new Pause(duration));
        return this;
    }

    /** Waits this long after every chunk. */
    public Reply delayEach(Duration duration) {
        this.delayEach = Objects.requireNonNull(duration);
        return this;
    }

    /** From here on, sends nothing and keeps the connection open until the client closes it. Ends the script. */
    public Reply stall() {
        step(new Stall());
        ended = true;
        return this;
    }

    /**
     * Sends the first half of one more chunk's {@code data:} line (a content delta), then closes the socket
     * without ending the HTTP body: a connection cut mid-chunk. Ends the script.
     */
    public Reply cut() {
        step(new Cut());
        ended = true;
        return this;
    }

    /**
     * Writes the body in HTTP chunks of at most {@code bytes} bytes, each flushed on its own, so that the client
     * reads them apart: the splits then fall inside {@code data:} prefixes, JSON escapes and multi-byte UTF-8
     * characters.
     */
    public Reply fragmentBytes(int bytes) {
        if (bytes < 1) throw new IllegalArgumentException("bytes must be >= 1");
        this.fragmentBytes = bytes;
        return this;
    }

    /** An extra response header. */
    public Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The {@code Retry-After} header, as given: delta-seconds ({@code "2"}) or an HTTP-date. */
    public Reply retryAfter(String value) {
        return header("Retry-After", value);
    }

    private void step(Step step) {
        if (kind != Kind.STREAM) throw new IllegalStateException("only a stream() reply has steps");
        if (ended) throw new IllegalStateException("stall() and cut() end the script");
        steps.add(step);
    }

    static String[] split(String text, int parts) {
        if (parts < 1) throw new IllegalArgumentException("parts must be >= 1");
        int[] codePoints = text.codePoints().toArray();
        int n = Math.min(parts, Math.max(1, codePoints.length));
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            int from = codePoints.length * i / n;
            int to = codePoints.length * (i + 1) / n;
            out[i] = new String(codePoints, from, to - from);
        }
        return out;
    }
}
