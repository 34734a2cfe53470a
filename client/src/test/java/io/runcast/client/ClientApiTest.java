package io.runcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests and the Flow API against a real server. */
class ClientApiTest {
    private RuncastServer server;
    private RuncastClient client;

    @BeforeEach
    void start() {
        server = TestServer.start();
        client = RuncastClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), ClientReconnectTest.FAST, null);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void publish_thenSubscribe_deliversHistoryThenLive() throws Exception {
        List<Accepted> acc = client.publish("api-pub",
                EventDraft.of("agent.thinking", Json.object().put("content", "hi")),
                new EventDraft("tool.call", "s1", "agent-1", "{\"tool\":\"search\"}", "k1")).get(10, TimeUnit.SECONDS);
        assertThat(acc).extracting(Accepted::seq).containsExactly(1L, 2L);
        List<Accepted> again = client.publish("api-pub", new EventDraft("tool.call", "s1", "agent-1", "{\"tool\":\"search\"}", "k1"))
                .get(10, TimeUnit.SECONDS);
        assertThat(again.get(0).duplicate()).isTrue();

        ClientReconnectTest.Recorder r = new ClientReconnectTest.Recorder();
        client.subscribe("api-pub", r);
        server.publishAndWait("api-pub", List.of(EventDraft.of("run.completed", Json.object())));
        await().atMost(Duration.ofSeconds(10)).until(() -> r.endedAt == 3);
        assertThat(r.events).extracting(Event::type).containsExactly("agent.thinking", "tool.call", "run.completed");
        assertThat(r.events.get(1).step()).isEqualTo("s1");
        assertThat(r.events.get(1).agent()).isEqualTo("agent-1");
    }

    @Test
    void decide_answersAPendingDecision_andRefusesASecondAnswer() throws Exception {
        server.publishAndWait("api-decide", List.of(EventDraft.of("run.started", Json.object()),
                EventDraft.of("decision.requested", Json.object().put("decision", "d1").put("prompt", "Go?")
                        .set("options", Json.MAPPER.valueToTree(List.of("yes", "no"))))));
        ClientReconnectTest.Recorder r = new ClientReconnectTest.Recorder();
        client.subscribe("api-decide", r);
        long seq = client.decide("api-decide", "d1", "yes").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events.stream().anyMatch(e -> e.seq() == seq));
        Event resolved = r.events.stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
        assertThat(resolved.type()).isEqualTo("decision.resolved");
        assertThat(resolved.dataNode().path("choice").asText()).isEqualTo("yes");

        CompletableFuture<Long> second = client.decide("api-decide", "d1", "no");
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(RuncastException.class,
                e -> assertThat(e.code()).isIn(ErrorCode.DECISION_CLOSED, ErrorCode.DECISION_NOT_FOUND));
    }

    @Test
    void cancelPauseResume_recordTheirEvents() throws Exception {
        server.publishAndWait("api-ctl", List.of(EventDraft.of("run.started", Json.object())));
        ClientReconnectTest.Recorder r = new ClientReconnectTest.Recorder();
        client.subscribe("api-ctl", r);
        client.pause("api-ctl").get(10, TimeUnit.SECONDS);
        client.resume("api-ctl").get(10, TimeUnit.SECONDS);
        client.cancel("api-ctl", "enough").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> r.endedAt > 0);
        assertThat(r.events).extracting(Event::type).containsExactly("run.started", "run.paused", "run.resumed", "run.cancelled");
        assertThatThrownBy(() -> client.cancel("api-ctl", null).join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(RuncastException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_CLOSED));
    }

    @Test
    void flowPublisher_completesAfterTheTerminalEvent() throws Exception {
        server.publishAndWait("api-flow", ClientReconnectTest.thoughts(1, 20));
        List<Long> seqs = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.events("api-flow").subscribe(new Flow.Subscriber<>() {
            Flow.Subscription s;
            @Override public void onSubscribe(Flow.Subscription subscription) { s = subscription; s.request(1); }
            @Override public void onNext(Event item) { seqs.add(item.seq()); s.request(1); }
            @Override public void onError(Throwable throwable) { done.completeExceptionally(throwable); }
            @Override public void onComplete() { done.complete(null); }
        });
        server.publishAndWait("api-flow", List.of(EventDraft.of("run.completed", Json.object())));
        done.get(10, TimeUnit.SECONDS);
        assertThat(seqs).isEqualTo(ClientReconnectTest.oneTo(21));
    }

    @Test
    void subscribe_badRunId_failsTheSubscription() {
        List<RuncastException> errors = new CopyOnWriteArrayList<>();
        client.subscribe("bad run id!", new RunListener() {
            @Override public void onEvent(Event event) { }
            @Override public void onError(RuncastException error) { errors.add(error); }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0).code()).isEqualTo(ErrorCode.INVALID_RUN);
    }
}
