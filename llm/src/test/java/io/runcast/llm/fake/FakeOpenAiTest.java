package io.runcast.llm.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake's bytes on the wire, read with a raw socket: what the other tests rely on it to send. */
class FakeOpenAiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BODY = "{\"model\":\"gpt-wire\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    private final FakeOpenAi fake = FakeOpenAi.start();

    @AfterEach
    void tearDown() {
        fake.close();
    }

    /** A raw HTTP/1.1 exchange: the response head, and the body de-chunked (or as long as Content-Length says). */
    private record Response(String head, String body, boolean ended) {}

    private static void send(Socket socket, String path, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer sk-wire\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    private static Response read(InputStream in) throws IOException {
        String head = readUntil(in, "\r\n\r\n");
        if (head.contains("Transfer-Encoding: chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readUntil(in, "\r\n");
                if (size.isEmpty()) return new Response(head, body.toString(StandardCharsets.UTF_8), false);
                int n = Integer.parseInt(size.strip(), 16);
                if (n == 0) {
                    readUntil(in, "\r\n");
                    return new Response(head, body.toString(StandardCharsets.UTF_8), true);
                }
                byte[] chunk = in.readNBytes(n);
                body.write(chunk);
                if (chunk.length < n) return new Response(head, body.toString(StandardCharsets.UTF_8), false);
                readUntil(in, "\r\n");
            }
        }
        int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return new Response(head, new String(in.readNBytes(length), StandardCharsets.UTF_8), true);
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            out.write(b);
            if (out.toString(StandardCharsets.ISO_8859_1).endsWith(end)) break;
        }
        String text = out.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith(end) ? text.substring(0, text.length() - end.length()) : text;
    }

    private static List<String> dataLines(String body) {
        assertThat(body).endsWith("\n\n");
        List<String> out = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            assertThat(event).startsWith("data: ");
            out.add(event.substring(6));
        }
        return out;
    }

    @Test
    void aStream_isFramedLikeOpenAis_chunkByChunk() throws Exception {
        fake.enqueue(Reply.stream().content("Hel", "lo").usage(9, 2));
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            send(socket, "/v1/chat/completions", BODY);
            Response response = read(socket.getInputStream());

            assertThat(response.head()).startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("\r\nContent-Type: text/event-stream; charset=utf-8", "\r\nTransfer-Encoding: chunked");
            assertThat(response.ended()).isTrue();
            List<String> data = dataLines(response.body());
            long created = Json.parse(data.get(0)).path("created").asLong();
            String prefix = "{\"id\":\"chatcmpl-fake0\",\"object\":\"chat.completion.chunk\",\"created\":" + created
                    + ",\"model\":\"gpt-wire\",\"system_fingerprint\":\"fp_fake\",\"choices\":";
            assertThat(data).containsExactly(
                    prefix + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                    prefix + "[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                    prefix + "[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}",
                    prefix + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}",
                    prefix + "[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}",
                    "[DONE]");
        }
        RecordedRequest request = fake.awaitRequest(0, WAIT);
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-wire");
        assertThat(request.json().path("model").asText()).isEqualTo("gpt-wire");
        assertThat(request.body()).isEqualTo(BODY);
    }

    @Test
    void withoutIncludeUsage_thereIsNoUsageChunkNorUsageField() throws Exception {
        fake.enqueue(Reply.text("x", 1));
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            send(socket, "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[],\"stream\":true}");
            List<String> data = dataLines(read(socket.getInputStream()).body());

            assertThat(data).hasSize(4).last().isEqualTo("[DONE]");
            assertThat(data.subList(0, 3)).noneMatch(d -> d.contains("usage"));
        }
    }

    @Test
    void toolCalls_comeAsAFirstDeltaWithIdAndName_thenArgumentPieces() throws Exception {
        fake.enqueue(Reply.stream().toolCall(0, "call_1", "f", "{\"a\"", ":1}"));
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            send(socket, "/v1/chat/completions", BODY);
            List<JsonNode> deltas = dataLines(read(socket.getInputStream()).body()).stream().filter(d -> !d.equals("[DONE]"))
                    .map(d -> Json.parse(d).path("choices").path(0)).toList();

            assertThat(deltas.get(1).path("delta").toString())
                    .isEqualTo("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}");
            assertThat(deltas.get(2).path("delta").toString()).isEqualTo("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}");
            assertThat(deltas.get(4).path("finish_reason").asText()).isEqualTo("tool_calls");
        }
    }

    @Test
    void anError_hasOpenAisJsonBody_andTheRetryAfterHeader_andKeepsTheConnection() throws Exception {
        fake.enqueue(Reply.error(429, "Rate limit reached").retryAfter("3"), Reply.text("after", 1));
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            send(socket, "/v1/chat/completions", BODY);
            Response error = read(socket.getInputStream());
            send(socket, "/v1/chat/completions", BODY);
            Response next = read(socket.getInputStream());

            assertThat(error.head()).startsWith("HTTP/1.1 429 Too Many Requests\r\n").contains("\r\nRetry-After: 3", "\r\nContent-Type: application/json");
            assertThat(error.body()).isEqualTo("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
            assertThat(next.body()).contains("\"content\":\"after\"");
            assertThat(fake.requests()).extracting(RecordedRequest::connection).containsExactly(0, 0);
        }
    }

    @Test
    void anotherPath_is404_andAnEmptyQueue_is400SayingSo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            send(socket, "/v1/models", "{}");
            assertThat(read(socket.getInputStream()).head()).startsWith("HTTP/1.1 404 ");
            send(socket, "/v1/chat/completions", BODY);
            Response empty = read(socket.getInputStream());
            assertThat(empty.head()).startsWith("HTTP/1.1 400 ");
            assertThat(empty.body()).contains("no reply scripted for request #1");
        }
    }

    @Test
    void cut_sendsHalfAChunkThenCloses_withoutEndingTheBody() throws Exception {
        fake.enqueue(Reply.stream().content("a").cut());
        try (Socket socket = new Socket("127.0.0.1", fake.port())) {
            send(socket, "/v1/chat/completions", BODY);
            Response response = read(socket.getInputStream());

            assertThat(response.ended()).isFalse();
            assertThat(response.body().substring(response.body().lastIndexOf("\n\n") + 2)).startsWith("data: {").doesNotContain("\n");
        }
        assertThat(fake.clientClosed(0)).isFalse();
    }

    @Test
    void awaitClientClose_returnsOnceTheClientHangsUp_andFailsWhileItDoesNot() throws Exception {
        fake.enqueue(Reply.stream().content("a").stall());
        Socket socket = new Socket("127.0.0.1", fake.port());
        send(socket, "/v1/chat/completions", BODY);
        readUntil(socket.getInputStream(), "\"content\":\"a\"");

        assertThatThrownBy(() -> fake.awaitClientClose(0, Duration.ofMillis(50))).isInstanceOf(AssertionError.class).hasMessageContaining("still open");
        socket.close();

        fake.awaitClientClose(0, WAIT);
        assertThat(fake.clientClosed(0)).isTrue();
    }
}
