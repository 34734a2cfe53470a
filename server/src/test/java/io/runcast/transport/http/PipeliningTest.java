package io.runcast.transport.http;

import static io.runcast.transport.http.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 pipelining (RFC 9112 9.3): requests sent back to back on one connection, in one write, are
 * answered in request order, each with its own content — and a request pipelined behind a switch to
 * SSE or WebSocket is never run as HTTP.
 */
class PipeliningTest {
    static RuncastServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(RawHttp.Response r) {
        return Json.parse(r.body());
    }

    @Test
    void mixedRequestsInOneWrite_areAnsweredInOrder_eachWithItsOwnContent() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.sendAll(
                    request("POST", "/api/runs/pipe-1/events", "{\"type\":\"run.started\",\"data\":{\"n\":1}}"),
                    request("GET", "/api/runs/pipe-1", null),
                    request("GET", "/api/runs/pipe-1/events", null),
                    request("GET", "/api/health", null),
                    request("POST", "/api/runs/pipe-1/events", "[{\"type\":\"log.line\"},{\"type\":\"log.line\"}]"),
                    request("GET", "/api/runs/pipe-1", null),
                    request("GET", "/no-such-file.txt", null),
                    request("POST", "/api/runs/pipe-1/events", "{\"type\":\"nope\"}"),
                    request("GET", "/api/runs/pipe-1/events?after=1", null));

            RawHttp.Response r = c.read();
            assertThat(json(r).path("accepted").get(0).path("seq").asLong()).isEqualTo(1);
            r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(json(r).path("head").asLong()).isEqualTo(1);
            r = c.read();
            assertThat(json(r).path("events").findValuesAsText("type")).containsExactly("run.started");
            r = c.read();
            assertThat(json(r).path("status").asText()).isEqualTo("ok");
            r = c.read();
            assertThat(json(r).path("accepted").findValuesAsText("seq")).containsExactly("2", "3");
            r = c.read();
            assertThat(json(r).path("head").asLong()).isEqualTo(3);
            r = c.read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(json(r).path("error").path("message").asText()).contains("no-such-file");
            r = c.read();
            assertThat(json(r).path("error").path("code").asText()).isEqualTo("invalid_type");
            r = c.read();
            assertThat(json(r).path("events").findValuesAsText("seq")).containsExactly("2", "3");
        }
    }

    @Test
    void manyPublishThenReadPairs_eachReadSeesItsPublish() throws Exception {
        int pairs = 60; // 120 requests: within the HTTP codec's limit of 128 unanswered ones per connection
        List<String> reqs = new ArrayList<>();
        for (int i = 1; i <= pairs; i++) {
            reqs.add(request("POST", "/api/runs/pipe-2/events", "{\"type\":\"log.line\",\"data\":{\"i\":" + i + "}}"));
            reqs.add(request("GET", "/api/runs/pipe-2", null));
        }
        try (RawHttp c = new RawHttp(port)) {
            c.sendAll(reqs.toArray(String[]::new));
            for (int i = 1; i <= pairs; i++) {
                assertThat(json(c.read()).path("accepted").get(0).path("seq").asLong()).as("publish %d", i).isEqualTo(i);
                assertThat(json(c.read()).path("head").asLong()).as("read after publish %d", i).isEqualTo(i);
            }
        }
    }

    @Test
    void requestsPipelinedBehindConnectionClose_areNotRun() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.sendAll(request("GET", "/api/health", null),
                    "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                    request("POST", "/api/runs/pipe-close/events", "{\"type\":\"run.started\",\"data\":{\"by\":\"pipelined\"}}"));
            assertThat(c.read().status()).isEqualTo(200);
            RawHttp.Response last = c.read();
            assertThat(last.headers().get("connection")).isEqualTo("close");
            assertThat(c.atEnd()).isTrue();
            var first = Json.parse(TestServer.post(port, "/api/runs/pipe-close/events", "{\"type\":\"run.started\"}").body());
            assertThat(first.path("accepted").get(0).path("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void requestPipelinedBehindAnSseStream_isNotRunAsHttp() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.sendAll(request("GET", "/api/runs/pipe-sse/stream", null),
                    request("POST", "/api/runs/pipe-sse/events", "{\"type\":\"run.started\",\"data\":{\"by\":\"pipelined\"}}"));
            RawHttp.Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers().get("content-type")).startsWith("text/event-stream");
            assertThat(c.readChunk()).startsWith("retry:");
            assertThat(c.readChunk()).startsWith("event: subscribed").contains("\"head\":0");
            // The first event of the run is the one published elsewhere now: the pipelined POST never ran.
            TestServer.post(port, "/api/runs/pipe-sse/events", "{\"type\":\"run.started\",\"data\":{\"by\":\"other\"}}");
            String event = c.readChunk();
            assertThat(event).startsWith("id: 1\n").contains("\"by\":\"other\"");
        }
    }

    @Test
    void webSocketFrameRightBehindTheUpgrade_reachesTheSession() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.socket.getOutputStream().write(concat(upgrade(), maskedText("{\"op\":\"ping\",\"id\":7}")));
            c.socket.getOutputStream().flush();
            assertThat(c.readHead().status()).isEqualTo(101);
            var in = c.socket.getInputStream();
            assertThat(wsText(in)).contains("\"op\":\"connected\"");
            assertThat(wsText(in)).contains("\"op\":\"pong\"").contains("\"id\":7");
        }
    }

    @Test
    void httpRequestPipelinedBehindAWebSocketUpgrade_isNotRunAsHttp() throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            byte[] post = request("POST", "/api/runs/pipe-ws/events", "{\"type\":\"run.started\",\"data\":{\"by\":\"pipelined\"}}")
                    .getBytes(StandardCharsets.US_ASCII);
            c.socket.getOutputStream().write(concat(upgrade(), post));
            c.socket.getOutputStream().flush();
            assertThat(c.readHead().status()).isEqualTo(101);
            // Those bytes are read as a WebSocket frame now, a broken one: closed as a protocol error, not run.
            assertThat(readUntilClose(c.socket.getInputStream())).isEqualTo(1002);
            var first = Json.parse(TestServer.post(port, "/api/runs/pipe-ws/events", "{\"type\":\"run.started\"}").body());
            assertThat(first.path("accepted").get(0).path("seq").asLong()).isEqualTo(1);
        }
    }

    // ---- WebSocket bytes by hand -------------------------------------------------------------

    private static byte[] upgrade() {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] maskedText(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[6 + p.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) (0x80 | p.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < p.length; i++) f[6 + i] = (byte) (p[i] ^ mask[i % 4]);
        return f;
    }

    /** Reads one unmasked server frame and returns its payload as text. */
    private static String wsText(java.io.InputStream in) throws java.io.IOException {
        var d = new java.io.DataInputStream(in);
        d.readUnsignedByte();
        int len = d.readUnsignedByte() & 0x7f;
        if (len == 126) len = d.readUnsignedShort();
        byte[] p = new byte[len];
        d.readFully(p);
        return new String(p, StandardCharsets.UTF_8);
    }

    /** The code of the server's close frame, or -1 if the connection ended without one. */
    private static int readUntilClose(java.io.InputStream in) throws java.io.IOException {
        var d = new java.io.DataInputStream(in);
        try {
            while (true) {
                int op = d.readUnsignedByte() & 0x0f;
                int len = d.readUnsignedByte() & 0x7f;
                if (len == 126) len = d.readUnsignedShort();
                byte[] p = new byte[len];
                d.readFully(p);
                if (op == 8) return p.length >= 2 ? ((p[0] & 0xff) << 8) | (p[1] & 0xff) : -1;
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return -1;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
