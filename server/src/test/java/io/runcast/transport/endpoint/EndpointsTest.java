package io.runcast.transport.endpoint;

import static io.runcast.testing.TestServer.get;
import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Formats served beside the native protocol: their WebSocket paths and HTTP routes, and who watches a run through them. */
class EndpointsTest {
    /** A format that echoes text frames on /echo/{name}, answers /api/echo, and counts as watching run "watched". */
    static final class Echo implements Endpoint {
        final RuncastServer server;

        Echo(RuncastServer server) {
            this.server = server;
        }

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public ChannelHandler webSocket(WsOpen open) {
            if (!open.path().startsWith("/echo/")) return null;
            String who = open.path().substring("/echo/".length()) + (open.query("x") == null ? "" : "?" + open.query("x"));
            return new SimpleChannelInboundHandler<WebSocketFrame>() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    server.services().connections().add(open.connectionId(), name(), "test", Set.of("watched"), code -> ctx.close());
                }

                @Override
                protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                    if (f instanceof TextWebSocketFrame t) ctx.writeAndFlush(new TextWebSocketFrame(who + ":" + t.text()));
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    server.services().connections().remove(open.connectionId());
                }
            };
        }

        @Override
        public boolean http(HttpExchange ex) {
            if (!ex.path().equals("/api/echo")) return false;
            if (ex.query("fail") != null) ex.error(ErrorCode.BAD_REQUEST, "asked to fail");
            else ex.json(200, Json.object().put("segments", ex.segments().size()).set("body", ex.bodyOrEmpty()));
            return true;
        }
    }

    @Test
    void aFormatServesItsPaths_theNativeProtocolKeepsItsOwn_andOtherPathsAreRefused() throws Exception {
        try (RuncastServer server = TestServer.start()) {
            int port = server.port();
            assertThat(get(port, "/api/echo").statusCode()).as("before it is installed").isEqualTo(404);
            server.endpoints().add(new Echo(server));
            assertThatThrownBy(() -> server.endpoints().add(new Echo(server))).isInstanceOf(IllegalStateException.class);

            LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/echo/ann?x=1"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            answers.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).join();
            ws.sendText("hi", true).join();
            assertThat(answers.poll(5, TimeUnit.SECONDS)).isEqualTo("ann?1:hi");

            try (WsTestClient nativeClient = WsTestClient.connect(port)) {
                assertThat(nativeClient.awaitOp("connected").path("op").asText()).isEqualTo("connected");
            }
            assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/nowhere"), new WebSocket.Listener() {}).join())
                    .isInstanceOf(CompletionException.class).rootCause().hasMessageContaining("404");

            JsonNode echoed = Json.parse(post(port, "/api/echo", "{\"a\":1}").body());
            assertThat(echoed.path("segments").asInt()).isEqualTo(2);
            assertThat(echoed.path("body").path("a").asInt()).isEqualTo(1);
            assertThat(Json.parse(get(port, "/api/echo?fail=1").body()).path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(get(port, "/api/health").statusCode()).as("native routes still answer").isEqualTo(200);

            server.publishAndWait("watched", List.of(EventDraft.of("run.started", Json.object())));
            JsonNode run = Json.parse(get(port, "/api/runs/watched").body());
            assertThat(run.path("watched_by").path("echo").asInt()).isEqualTo(1);
            ws.abort();
        }
    }
}
