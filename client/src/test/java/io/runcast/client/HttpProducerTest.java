package io.runcast.client;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.engine.InProcessProducerTest;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP producer against a real server: same interface, same events, order kept under bursts. */
class HttpProducerTest {
    static RuncastServer server;
    static RunProducer producer;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        producer = new HttpProducer(URI.create("http://127.0.0.1:" + server.port()));
    }

    @AfterAll
    static void stop() {
        producer.close();
        server.close();
    }

    private static List<Event> events(String run) {
        return server.engine().read(run, 0, 10_000).events();
    }

    @Test
    void everyTypedHelper_arrivesAtAWsSubscriber_inOrder() throws Exception {
        try (WsTestClient c = WsTestClient.connect(server.port())) {
            c.awaitOp("connected");
            c.send("{\"op\":\"subscribe\",\"run\":\"http-all\"}");
            c.awaitOp("subscribed");
            RunHandle run = producer.open("http-all", Json.object().put("query", "q"));
            InProcessProducerTest.emitEveryType(run);
            run.complete(Json.object()).toCompletableFuture().get(5, TimeUnit.SECONDS);
            List<String> seen = new ArrayList<>();
            while (true) {
                JsonNode f = c.next();
                if (f.path("op").asText().equals("end")) break;
                seen.add(f.path("type").asText());
                if (f.path("type").asText().equals(EventTypes.AGENT_THINKING)) {
                    assertThat(f.path("step").asText()).isEqualTo("s1");
                    assertThat(f.path("agent").asText()).isEqualTo("researcher");
                }
            }
            assertThat(seen).isEqualTo(events("http-all").stream().map(Event::type).toList());
            assertThat(seen.get(0)).isEqualTo(EventTypes.RUN_STARTED);
            assertThat(seen.get(seen.size() - 1)).isEqualTo(EventTypes.RUN_COMPLETED);
            assertThat(seen).hasSize(29).contains("x.custom", EventTypes.WORKFLOW_ROUTE);
        }
    }

    @Test
    void tokenBurst_keepsEmitOrder_andBatches() throws Exception {
        RunHandle run = producer.open("http-burst", null).scoped("write", "writer");
        List<CompletionStage<Long>> seqs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) seqs.add(run.delta("t" + i));
        run.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i).toCompletableFuture().get()).isEqualTo(i + 2L);
        List<Event> stored = events("http-burst");
        for (int i = 0; i < 2000; i++) assertThat(stored.get(i + 1).dataNode().path("text").asText()).isEqualTo("t" + i);
    }

    @Test
    void remoteRun_canBeDecidedAndCancelled_thenEmitsFailRunClosed() throws Exception {
        RunHandle run = producer.open("http-remote", null);
        run.decisionRequested("d1", "ok?", List.of("yes", "no"), "no", 0, false, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
        var res = post(server.port(), "/api/runs/http-remote/decisions/d1", "{\"choice\":\"yes\",\"by\":\"alice\"}");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(post(server.port(), "/api/runs/http-remote/decisions/d1", "{\"choice\":\"no\"}").body()).contains("decision_closed");
        assertThat(post(server.port(), "/api/runs/http-remote/cancel", "{\"reason\":\"stop\"}").statusCode()).isEqualTo(200);
        try {
            run.log("info", "still here?").toCompletableFuture().get(5, TimeUnit.SECONDS);
            throw new AssertionError("expected RUN_CLOSED");
        } catch (ExecutionException e) {
            assertThat(((RuncastException) e.getCause()).code()).isEqualTo(ErrorCode.RUN_CLOSED);
        }
        List<String> types = events("http-remote").stream().map(Event::type).toList();
        assertThat(types).containsExactly(EventTypes.RUN_STARTED, EventTypes.DECISION_REQUESTED,
                EventTypes.DECISION_RESOLVED, EventTypes.RUN_CANCELLED);
    }

    @Test
    void unknownType_isRefusedLocally_withoutSpoilingTheBatch() throws Exception {
        RunHandle run = producer.open("http-bad", null);
        CompletionStage<Long> bad = run.emit("nonsense", Json.object());
        CompletionStage<Long> good = run.log("info", "fine");
        assertThat(good.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(2L);
        assertThat(bad.toCompletableFuture().isCompletedExceptionally()).isTrue();
    }

    @Test
    void fourHundredEventsOf900Bytes_allLand_onADefaultServer() throws Exception {
        // Batching by data size alone once made bodies over the 256 KiB limit: 288 of these were refused.
        RunHandle run = producer.attach("http-900");
        String data = "y".repeat(900);
        List<CompletionStage<Long>> seqs = new ArrayList<>();
        for (int i = 0; i < 400; i++) seqs.add(run.emit("x.blob", Json.object().put("d", data).put("i", i)));
        run.flush().toCompletableFuture().get(20, TimeUnit.SECONDS);
        for (int i = 0; i < 400; i++) assertThat(seqs.get(i).toCompletableFuture().get()).isEqualTo(i + 1L);
        assertThat(events("http-900")).hasSize(400);
    }

    @Test
    void largeEvents_areSplitIntoRequestsTheServerAccepts() throws Exception {
        RunHandle run = producer.open("http-large", null);
        String big = "x".repeat(60_000);
        List<CompletionStage<Long>> seqs = new ArrayList<>();
        for (int i = 0; i < 40; i++) seqs.add(run.log("info", big));
        run.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 40; i++) assertThat(seqs.get(i).toCompletableFuture().get()).isEqualTo(i + 2L);
    }
}
