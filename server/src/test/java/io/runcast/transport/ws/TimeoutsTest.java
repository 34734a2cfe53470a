package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.protocol.CloseCode;
import io.runcast.server.RuncastServer;
import io.runcast.testing.RawWsClient;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeoutsTest {
    @Test
    void serverPingsAtHeartbeat_andClosesSilentClientsWith4001() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.heartbeat(Duration.ofMillis(300))
                .idleTimeout(Duration.ofMillis(1500)).handshakeTimeout(Duration.ofSeconds(5)));
             RawWsClient c = RawWsClient.connect(server.port(), 0)) {
            c.sendText("{\"op\":\"subscribe\",\"run\":\"hb\"}");
            c.socket.setSoTimeout(5000);
            boolean jsonPing = false, framePing = false;
            int close = -1;
            for (RawWsClient.Frame f; (f = c.read()) != null; ) {
                if (f.opcode() == 9) framePing = true;
                if (f.opcode() == 1 && f.text().equals("{\"op\":\"ping\"}")) jsonPing = true;
                if (f.opcode() == 8) {
                    close = f.closeCode();
                    break;
                }
            }
            assertThat(jsonPing).as("JSON ping").isTrue();
            assertThat(framePing).as("protocol ping frame").isTrue();
            assertThat(close).isEqualTo(CloseCode.IDLE_TIMEOUT.code());
        }
    }

    static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final Duration IDLE = Duration.ofMillis(1500);
    /** Server pings that span more than the idle timeout: living through them proves the connection was kept alive. */
    static final int PINGS_PAST_IDLE = (int) (IDLE.toMillis() / HEARTBEAT.toMillis()) + 3;

    static RuncastServer heartbeatServer() {
        return TestServer.start(b -> b.heartbeat(HEARTBEAT).idleTimeout(IDLE).handshakeTimeout(Duration.ofSeconds(30)));
    }

    /** What a raw client heard: the JSON pings, the error frames, and the close code (-1: none). */
    record Heard(int jsonPings, List<String> errors, int close) {}

    /**
     * Plays a client that never answers protocol ping frames (the raw client ignores them, as a browser's
     * script cannot see them) and answers the server's JSON pings with {@code {"op":"pong"}} or not at all.
     * Returns after {@code pings} JSON pings, or at the close.
     */
    static Heard listen(RawWsClient c, boolean answer, int pings) throws Exception {
        c.socket.setSoTimeout(10_000);
        int heard = 0;
        List<String> errors = new ArrayList<>();
        for (RawWsClient.Frame f; (f = c.read()) != null; ) {
            if (f.opcode() == 8) return new Heard(heard, errors, f.closeCode());
            if (f.opcode() != 1) continue; // protocol pings (9) go unanswered
            JsonNode msg = Json.parse(f.text());
            if (msg.path("op").asText().equals("error")) errors.add(f.text());
            if (!msg.path("op").asText().equals("ping")) continue;
            heard++;
            if (answer) c.sendText("{\"op\":\"pong\"}");
            if (heard == pings) return new Heard(heard, errors, -1);
        }
        return new Heard(heard, errors, -1);
    }

    /** Asks the server for a pong and reads up to it: proof the connection is open, and since frames are handled in order, every error for what was sent before has arrived. */
    static List<String> probe(RawWsClient c) throws Exception {
        c.sendText("{\"op\":\"ping\",\"id\":\"probe\"}");
        List<String> errors = new ArrayList<>();
        for (RawWsClient.Frame f; (f = c.read()) != null; ) {
            assertThat(f.opcode()).as("no close frame before the probe's pong").isNotEqualTo(8);
            if (f.opcode() != 1) continue;
            JsonNode msg = Json.parse(f.text());
            if (msg.path("op").asText().equals("error")) errors.add(f.text());
            if (msg.path("op").asText().equals("pong") && msg.path("id").asText().equals("probe")) return errors;
        }
        throw new AssertionError("connection ended before the probe's pong");
    }

    @Test
    void clientThatAnswersJsonPings_staysConnected_pastTheIdleTimeout() throws Exception {
        try (RuncastServer server = heartbeatServer(); RawWsClient c = RawWsClient.connect(server.port(), 0)) {
            // its only frames are JSON pongs: they alone keep it alive, and they are not errors
            Heard heard = listen(c, true, PINGS_PAST_IDLE);
            assertThat(heard.close()).as("closed while answering JSON pings").isEqualTo(-1);
            assertThat(heard.jsonPings()).isEqualTo(PINGS_PAST_IDLE);
            List<String> errors = new ArrayList<>(heard.errors());
            errors.addAll(probe(c));
            assertThat(errors).as("error frames in answer to pongs").isEmpty();
        }
    }

    @Test
    void clientThatAnswersNothing_isClosedWith4001() throws Exception {
        try (RuncastServer server = heartbeatServer(); RawWsClient c = RawWsClient.connect(server.port(), 0)) {
            Heard heard = listen(c, false, Integer.MAX_VALUE);
            assertThat(heard.jsonPings()).as("pinged before being given up").isPositive();
            assertThat(heard.errors()).isEmpty();
            assertThat(heard.close()).isEqualTo(CloseCode.IDLE_TIMEOUT.code());
        }
    }

    @Test
    void plainClientThatOnlyAnswersProtocolPings_staysConnected() throws Exception {
        // the JDK client answers ping frames by itself and never sends a JSON frame after subscribing
        try (RuncastServer server = heartbeatServer(); WsTestClient c = WsTestClient.connect(server.port())) {
            c.send("{\"op\":\"subscribe\",\"run\":\"quiet\"}");
            List<JsonNode> errors = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a failure guard only
            for (int pings = 0; pings < PINGS_PAST_IDLE; ) {
                assertThat(c.closed).as("closed after %d server pings", pings).isNotDone();
                assertThat(System.nanoTime()).as("server pings within 30 s").isLessThan(deadline);
                JsonNode f = c.frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null && f.path("op").asText().equals("ping")) pings++;
                if (f != null && f.path("op").asText().equals("error")) errors.add(f);
            }
            c.send("{\"op\":\"ping\",\"id\":\"probe\"}");
            assertThat(c.await(f -> f.path("id").asText().equals("probe"), 10_000).path("op").asText()).isEqualTo("pong");
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void webSocketWithoutFirstMessage_closedWith4002() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.handshakeTimeout(Duration.ofMillis(500)));
             WsTestClient c = WsTestClient.connect(server.port())) {
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCode.HANDSHAKE_TIMEOUT.code());
        }
    }

    @Test
    void serverShutdown_closesClientsWith1001_soTheyReconnect() throws Exception {
        RuncastServer server = TestServer.start();
        try (WsTestClient c = WsTestClient.connect(server.port())) {
            c.awaitOp("connected");
            server.close();
            int code = c.closed.get(5, TimeUnit.SECONDS);
            assertThat(code).isEqualTo(CloseCode.GOING_AWAY.code());
            assertThat(CloseCode.shouldReconnect(code)).isTrue();
        }
    }

    @Test
    void tcpConnectionWithoutRequest_isClosed() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.handshakeTimeout(Duration.ofMillis(500)));
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
