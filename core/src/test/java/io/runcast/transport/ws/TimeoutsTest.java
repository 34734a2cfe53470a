package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.protocol.CloseCode;
import io.runcast.server.RuncastServer;
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
             WsTestClient c = WsTestClient.connect(server.port())) {
            c.send("{\"op\":\"subscribe\",\"run\":\"hb\"}");
            // pings arrive while the client stays silent, then the idle timeout closes it
            var ping = c.frames.poll(2, TimeUnit.SECONDS);
            while (ping != null && !ping.path("op").asText().equals("ping")) ping = c.frames.poll(2, TimeUnit.SECONDS);
            assertThat(ping).isNotNull();
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseCode.IDLE_TIMEOUT.code());
        }
    }

    @Test
    void clientThatAnswersPings_staysConnected() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.heartbeat(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(800)));
             WsTestClient c = WsTestClient.connect(server.port())) {
            long end = System.currentTimeMillis() + 2500;
            while (System.currentTimeMillis() < end) {
                var f = c.frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null && f.path("op").asText().equals("ping")) c.send("{\"op\":\"pong\"}");
            }
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
    void tcpConnectionWithoutRequest_isClosed() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.handshakeTimeout(Duration.ofMillis(500)));
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
