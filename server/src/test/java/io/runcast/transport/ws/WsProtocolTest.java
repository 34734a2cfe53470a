package io.runcast.transport.ws;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.protocol.CloseCode;
import io.runcast.server.RuncastServer;
import io.runcast.testing.RawWsClient;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WsProtocolTest {
    static RuncastServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.maxFrameBytes(4096));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsTestClient client() {
        WsTestClient c = WsTestClient.connect(port);
        JsonNode hello = c.next();
        assertThat(hello.path("op").asText()).isEqualTo("connected");
        assertThat(hello.path("connection").asText()).isNotEmpty();
        assertThat(hello.path("heartbeat").asInt()).isEqualTo(25);
        assertThat(hello.path("features").isArray()).isTrue();
        return c;
    }

    @Test
    void eventPublishedOverHttp_reachesWsSubscriber_withSeqTimeType() {
        try (WsTestClient c = client()) {
            c.send("{\"op\":\"subscribe\",\"run\":\"http-to-ws\",\"id\":1}");
            JsonNode sub = c.next();
            assertThat(sub.path("op").asText()).isEqualTo("subscribed");
            assertThat(sub.path("id").asInt()).isEqualTo(1);
            assertThat(sub.path("recovered").asBoolean()).isTrue();
            var res = post(port, "/api/runs/http-to-ws/events",
                    "{\"type\":\"step.started\",\"step\":\"s1\",\"agent\":\"planner\",\"data\":{\"title\":\"Plan\"}}");
            assertThat(res.statusCode()).isEqualTo(200);
            JsonNode ev = c.next();
            assertThat(ev.path("op").asText()).isEqualTo("event");
            assertThat(ev.path("run").asText()).isEqualTo("http-to-ws");
            assertThat(ev.path("seq").asLong()).isEqualTo(1);
            assertThat(ev.path("type").asText()).isEqualTo("step.started");
            assertThat(ev.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(ev.path("step").asText()).isEqualTo("s1");
            assertThat(ev.path("agent").asText()).isEqualTo("planner");
            assertThat(ev.path("data").path("title").asText()).isEqualTo("Plan");
            assertThat(ev.path("id").asText()).isNotEmpty();
        }
    }

    @Test
    void publishOverWs_repliesSeqs_andTerminalSendsEnd() {
        try (WsTestClient c = client()) {
            c.send("{\"op\":\"subscribe\",\"run\":\"ws-pub\"}");
            c.awaitOp("subscribed");
            c.send("{\"op\":\"publish\",\"run\":\"ws-pub\",\"id\":\"p1\",\"events\":[{\"type\":\"run.started\"},{\"type\":\"answer.delta\",\"data\":{\"text\":\"Hi\"}}]}");
            JsonNode pub = c.awaitOp("published");
            assertThat(pub.path("id").asText()).isEqualTo("p1");
            assertThat(pub.path("accepted").get(1).path("seq").asLong()).isEqualTo(2);
            c.send("{\"op\":\"publish\",\"run\":\"ws-pub\",\"event\":{\"type\":\"run.completed\"}}");
            JsonNode end = c.awaitOp("end");
            assertThat(end.path("seq").asLong()).isEqualTo(3);
            // appending to the closed run is refused with a structured error; the connection stays usable
            c.send("{\"op\":\"publish\",\"run\":\"ws-pub\",\"id\":9,\"event\":{\"type\":\"log.line\"}}");
            JsonNode err = c.awaitOp("error");
            assertThat(err.path("code").asText()).isEqualTo("run_closed");
            assertThat(err.path("id").asInt()).isEqualTo(9);
            c.send("{\"op\":\"ping\",\"id\":10}");
            assertThat(c.awaitOp("pong").path("id").asInt()).isEqualTo(10);
        }
    }

    @Test
    void badInput_getsStructuredErrors_andConnectionStaysUsable() {
        try (WsTestClient c = client()) {
            expectError(c, "{not json", "bad_json");
            expectError(c, "[1,2]", "bad_request");
            expectError(c, "{\"op\":\"fly\",\"id\":3}", "unknown_op");
            expectError(c, "{\"id\":4}", "bad_request");
            expectError(c, "{\"op\":\"subscribe\",\"id\":5}", "bad_request");
            expectError(c, "{\"op\":\"subscribe\",\"run\":42}", "bad_request");
            expectError(c, "{\"op\":\"subscribe\",\"run\":\"r\",\"since\":\"x\"}", "bad_request");
            expectError(c, "{\"op\":\"subscribe\",\"run\":\"r\",\"since\":-1}", "bad_request");
            expectError(c, "{\"op\":\"subscribe\",\"run\":\"r\",\"types\":\"step.*\"}", "bad_request");
            expectError(c, "{\"op\":\"subscribe\",\"run\":\"bad/run\"}", "invalid_run");
            expectError(c, "{\"op\":\"unsubscribe\",\"run\":\"never\"}", "not_subscribed");
            expectError(c, "{\"op\":\"publish\",\"run\":\"r\",\"event\":{\"type\":\"no.such\"}}", "invalid_type");
            expectError(c, "{\"op\":\"publish\",\"run\":\"r\",\"event\":{\"type\":\"log.line\",\"data\":[1]}}", "bad_request");
            expectError(c, "{\"op\":\"publish\",\"run\":\"r\",\"event\":{\"type\":\"log.line\",\"extra\":1}}", "bad_request");
            expectError(c, "{\"op\":\"publish\",\"run\":\"r\"}", "bad_request");
            expectError(c, "{\"op\":\"ping\",\"id\":{\"x\":1}}", "bad_request");
            // soft size limit: a structured error, and the connection goes on
            expectError(c, "{\"op\":\"ping\",\"pad\":\"" + "x".repeat(5000) + "\"}", "too_large");
            c.send("{\"op\":\"subscribe\",\"run\":\"dup\"}");
            c.awaitOp("subscribed");
            expectError(c, "{\"op\":\"subscribe\",\"run\":\"dup\"}", "already_subscribed");
            c.send("{\"op\":\"ping\",\"id\":99}");
            assertThat(c.awaitOp("pong").path("id").asInt()).isEqualTo(99);
        }
        // nothing was stored by the refused publishes
        assertThat(server.engine().info("r")).isEmpty();
    }

    @Test
    void frameOverHardLimit_closesWith1009_othersUnaffected() throws Exception {
        try (WsTestClient bystander = client(); RawWsClient c = RawWsClient.connect(port, 0)) {
            bystander.send("{\"op\":\"subscribe\",\"run\":\"bystander\"}");
            bystander.awaitOp("subscribed");
            // Only the header: a client still writing the payload may meet a reset (TCP's answer to a close
            // with unread data) before it can read the close frame; this one can always read it.
            c.sendHeader(1, 4096 * 4 + 10);
            c.socket.setSoTimeout(5000);
            assertThat(c.readUntilClose()).isEqualTo(CloseCode.MESSAGE_TOO_BIG.code());
            post(port, "/api/runs/bystander/events", "{\"type\":\"log.line\"}");
            assertThat(bystander.awaitOp("event").path("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void moreThan100BadFramesInAMinute_closeWith4500_afterAnErrorForEach() throws Exception {
        try (RawWsClient c = RawWsClient.connect(port, 0)) {
            // Exactly one frame over the limit and then silence, so the server has read everything when it
            // closes and the close frame cannot be overtaken by a reset.
            for (int i = 0; i <= WsSession.MAX_ERRORS_PER_MINUTE; i++) c.sendText("{\"op\":\"nope\"}");
            c.socket.setSoTimeout(5000);
            int errors = 0;
            for (RawWsClient.Frame f; (f = c.read()) != null; ) {
                if (f.opcode() == 1 && f.text().contains("\"code\":\"unknown_op\"")) errors++;
                if (f.opcode() == 8) {
                    assertThat(f.closeCode()).isEqualTo(CloseCode.PROTOCOL_VIOLATION.code());
                    assertThat(errors).isEqualTo(WsSession.MAX_ERRORS_PER_MINUTE + 1);
                    assertThat(CloseCode.shouldReconnect(f.closeCode())).isFalse();
                    return;
                }
            }
            throw new AssertionError("no close frame after " + errors + " errors");
        }
    }

    @Test
    void unsubscribe_stopsDelivery() {
        try (WsTestClient c = client()) {
            c.send("{\"op\":\"subscribe\",\"run\":\"unsub\"}");
            c.awaitOp("subscribed");
            c.send("{\"op\":\"unsubscribe\",\"run\":\"unsub\",\"id\":2}");
            assertThat(c.awaitOp("unsubscribed").path("id").asInt()).isEqualTo(2);
            post(port, "/api/runs/unsub/events", "{\"type\":\"log.line\"}");
            c.send("{\"op\":\"ping\",\"id\":3}");
            JsonNode n = c.next();
            assertThat(n.path("op").asText()).isEqualTo("pong");
        }
    }

    @Test
    void manyRunsOnOneConnection() {
        try (WsTestClient c = client()) {
            for (int i = 0; i < 5; i++) {
                c.send("{\"op\":\"subscribe\",\"run\":\"multi-" + i + "\"}");
                c.awaitOp("subscribed");
            }
            for (int i = 0; i < 5; i++) post(port, "/api/runs/multi-" + i + "/events", "{\"type\":\"log.line\"}");
            java.util.Set<String> runs = new java.util.HashSet<>();
            for (int i = 0; i < 5; i++) runs.add(c.awaitOp("event").path("run").asText());
            assertThat(runs).hasSize(5);
        }
    }

    private static void expectError(WsTestClient c, String frame, String code) {
        c.send(frame);
        JsonNode err = c.awaitOp("error");
        assertThat(err.path("code").asText()).as("reply to %s", frame.length() > 80 ? frame.substring(0, 80) : frame).isEqualTo(code);
        assertThat(err.path("message").asText()).isNotEmpty();
    }
}
