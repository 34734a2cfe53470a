package io.runcast.llm.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Plays one streamed {@link Reply} for one request, as OpenAI frames it: an opening chunk with the role, one chunk
 * per delta, the closing chunk with the finish reason, the usage chunk when asked for, {@code data: [DONE]}.
 */
final class StreamPlayer {
    private final FakeConnection connection;
    private final Reply reply;
    private final RecordedRequest request;
    private final String model;
    private final boolean includeUsage;
    private final long created = System.currentTimeMillis() / 1000;
    private boolean opened;
    private int deltas;

    StreamPlayer(FakeConnection connection, Reply reply, RecordedRequest request) {
        this.connection = connection;
        this.reply = reply;
        this.request = request;
        ObjectNode json = request.json();
        this.model = json == null ? "fake-model" : json.path("model").asText("fake-model");
        this.includeUsage = json != null && json.path("stream_options").path("include_usage").asBoolean(false);
    }

    void play() throws IOException, FakeConnection.Gone {
        StringBuilder head = connection.statusLine(200).append("Content-Type: text/event-stream; charset=utf-8\r\n")
                .append("Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n");
        reply.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        connection.writeRaw(head.append("\r\n").toString());
        for (Reply.Step step : reply.steps) {
            if (step instanceof Reply.Delta d) {
                delta(d.delta(), d.finishReason());
            } else if (step instanceof Reply.Reasoning r) {
                delta(Json.object().put(reply.reasoningField, r.text()), null);
            } else if (step instanceof Reply.Raw r) {
                send(r.text().getBytes(StandardCharsets.UTF_8));
            } else if (step instanceof Reply.Pause p) {
                connection.pause(p.duration());
            } else if (step instanceof Reply.Stall) {
                connection.awaitClientClose();
            } else if (step instanceof Reply.Cut) {
                byte[] next = event(chunk(Json.object().put("content", "never finished"), null));
                connection.writeChunks(Arrays.copyOf(next, next.length / 2), 0);
                connection.closeByServer();
                return;
            }
        }
        if (!reply.finished) delta(Json.object(), reply.toolCalls ? "tool_calls" : "stop");
        if (includeUsage) {
            ObjectNode usage = base();
            usage.putArray("choices");
            long prompt = reply.promptTokens != null ? reply.promptTokens : request.body().length() / 4;
            long completion = reply.completionTokens != null ? reply.completionTokens : deltas;
            usage.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
            send(event(usage));
        }
        send("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        connection.writeRaw("0\r\n\r\n");
    }

    private void delta(ObjectNode delta, String finishReason) throws IOException, FakeConnection.Gone {
        if (!opened) {
            opened = true;
            send(event(chunk(Json.object().put("role", "assistant").put("content", "").putNull("refusal"), null)));
        }
        if (finishReason == null) deltas++;
        send(event(chunk(delta, finishReason)));
    }

    private void send(byte[] bytes) throws IOException, FakeConnection.Gone {
        connection.writeChunks(bytes, reply.fragmentBytes);
        if (!reply.delayEach.isZero()) connection.pause(reply.delayEach);
    }

    private ObjectNode base() {
        return Json.object().put("id", "chatcmpl-fake" + request.index()).put("object", "chat.completion.chunk")
                .put("created", created).put("model", model).put("system_fingerprint", "fp_fake");
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = base();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        if (includeUsage) chunk.putNull("usage");
        return chunk;
    }

    private byte[] event(ObjectNode chunk) {
        return ("data: " + Json.write(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
