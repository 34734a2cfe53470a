package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.protocol.CloseCode;
import io.runcast.server.RuncastServer;
import io.runcast.testing.RawWsClient;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
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

    @Test
    void clientThatAnswersPings_staysConnected() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.heartbeat(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(1500)));
             WsTestClient c = WsTestClient.connect(server.port())) {
            long end = System.currentTimeMillis() + 4000;
            while (System.currentTimeMillis() < end) {
                var f = c.frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null && f.path("op").asText().equals("ping")) c.send("{\"op\":\"pong\"}");
            }
            assertThat(c.closed.isDone()).isFalse();
        }
    }

    @Test
    void plainClientThatOnlyAnswersProtocolPings_staysConnected() throws Exception {
        // the JDK client answers ping frames by itself and never sends a JSON frame after subscribing
        try (RuncastServer server = TestServer.start(b -> b.heartbeat(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(1500)));
             WsTestClient c = WsTestClient.connect(server.port())) {
            c.send("{\"op\":\"subscribe\",\"run\":\"quiet\"}");
            Thread.sleep(4000);
            assertThat(c.closed.isDone()).isFalse();
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
