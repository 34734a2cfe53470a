package io.runcast.feed;

import static io.runcast.testing.TestServer.get;
import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The run feed over real sockets: WebSocket subscribe and resume, a restart, SSE, refusals. */
class FeedOverSocketsTest {

    /** The feed's position as GET /api/runs reports it. */
    static JsonNode feedOf(int port) {
        HttpResponse<String> res = get(port, "/api/runs");
        assertThat(res.statusCode()).isEqualTo(200);
        return Json.parse(res.body()).path("feed");
    }

    static String subscribe(JsonNode feed, String extra) {
        return "{\"op\":\"subscribe\",\"id\":1,\"run\":\"$runs\",\"since\":" + feed.path("head").asLong()
                + ",\"epoch\":\"" + feed.path("epoch").asText() + "\"" + extra + "}";
    }

    static void ok(HttpResponse<String> res) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    /** "created a running@1": a created/status event in one line. */
    static String line(JsonNode ev) {
        JsonNode d = ev.path("data");
        return ev.path("type").asText().substring(5) + " " + d.path("run").asText() + " " + d.path("status").asText()
                + "@" + d.path("head").asLong() + (d.has("reason") ? " " + d.path("reason").asText() : "");
    }

    /** Reads a client's feed events until {@code until} holds for the list read so far. */
    static List<JsonNode> read(WsTestClient c, Predicate<List<JsonNode>> until) {
        List<JsonNode> events = new ArrayList<>();
        while (!until.test(events)) {
            JsonNode f = c.next(15_000);
            if (f.path("op").asText().equals("event")) {
                assertThat(f.path("run").asText()).isEqualTo("$runs");
                events.add(f);
            }
        }
        return events;
    }

    static List<JsonNode> changes(List<JsonNode> events) {
        return events.stream().filter(e -> !e.path("type").asText().equals(RunFeed.PROGRESS)).toList();
    }

    static List<JsonNode> entries(List<JsonNode> events, String run) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("type").asText().equals(RunFeed.PROGRESS)) {
                e.path("data").path("runs").forEach(p -> { if (p.path("run").asText().equals(run)) out.add(p); });
            }
        }
        return out;
    }

    static Predicate<List<JsonNode>> sawChange(String line) {
        return events -> changes(events).stream().anyMatch(e -> line(e).equals(line));
    }

    @Test
    void webSocket_eachChangeOnceInOrder_progressAtMostOncePerInterval() {
        try (RuncastServer server = TestServer.start();
             WsTestClient c = WsTestClient.connect(server.port());
             WsTestClient statusOnly = WsTestClient.connect(server.port())) {
            int port = server.port();
            JsonNode feed = feedOf(port);
            assertThat(feed.path("run").asText()).isEqualTo("$runs");
            assertThat(feed.path("epoch").isTextual()).isTrue();
            c.send(subscribe(feed, ""));
            JsonNode subscribed = c.awaitOp("subscribed");
            assertThat(subscribed.path("run").asText()).isEqualTo("$runs");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            statusOnly.send(subscribe(feed, ",\"types\":[\"runs.status\"]"));
            statusOnly.awaitOp("subscribed");

            ok(post(port, "/api/runs/a/events", "{\"type\":\"run.started\",\"data\":{\"steps\":2}}"));
            ok(post(port, "/api/runs/b/events", "{\"type\":\"run.started\"}"));
            ok(post(port, "/api/runs/a/pause", ""));
            ok(post(port, "/api/runs/a/resume", ""));
            ok(post(port, "/api/runs/b/cancel", "{\"reason\":\"not needed\"}"));
            ok(post(port, "/api/runs/a/events", "[{\"type\":\"step.started\",\"step\":\"s1\"},{\"type\":\"step.completed\",\"step\":\"s1\"},"
                    + "{\"type\":\"step.started\",\"step\":\"s2\"},{\"type\":\"step.progress\",\"step\":\"s2\",\"data\":{\"progress\":40,\"message\":\"reading\"}}]"));
            List<JsonNode> events = read(c, ev -> entries(ev, "a").stream().anyMatch(p -> p.path("head").asLong() == 7));
            for (int i = 0; i < 20; i++) ok(post(port, "/api/runs/a/events", "{\"type\":\"step.progress\",\"step\":\"s2\",\"data\":{\"progress\":" + (41 + i) + "}}"));
            events.addAll(read(c, ev -> entries(ev, "a").stream().anyMatch(p -> p.path("head").asLong() == 27)));
            ok(post(port, "/api/runs/a/events", "{\"type\":\"run.completed\"}"));
            events.addAll(read(c, sawChange("status a completed@28")));

            assertThat(changes(events)).map(FeedOverSocketsTest::line).containsExactly(
                    "created a running@1", "created b running@1", "status a paused@2", "status a running@3",
                    "status b cancelled@2 not needed", "status a completed@28");
            JsonNode at7 = entries(events, "a").stream().filter(p -> p.path("head").asLong() == 7).findFirst().orElseThrow();
            assertThat(at7.path("progress").asDouble()).isEqualTo(70.0);
            assertThat(at7.path("step").asText()).isEqualTo("s2");
            assertThat(at7.path("note").asText()).isEqualTo("reading");
            assertThat(entries(events, "a").get(entries(events, "a").size() - 1).path("progress").asDouble()).isEqualTo(80.0);
            assertThat(events).extracting(e -> e.path("seq").asLong()).isSorted().doesNotHaveDuplicates();
            // Throttled: twenty-odd commits of "a" became a handful of summaries, never two within the interval.
            List<Instant> times = events.stream().filter(e -> e.path("type").asText().equals(RunFeed.PROGRESS))
                    .map(e -> Instant.parse(e.path("time").asText())).toList();
            assertThat(times).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - 1), times.get(i)))
                        .isGreaterThanOrEqualTo(FeedConfig.DEFAULT_PROGRESS_INTERVAL.minusMillis(2));
            }

            List<JsonNode> statuses = read(statusOnly, sawChange("status a completed@28"));
            assertThat(statuses).map(FeedOverSocketsTest::line).containsExactly(
                    "status a paused@2", "status a running@3", "status b cancelled@2 not needed", "status a completed@28");
        }
    }

    @Test
    void dropAndResume_deliversExactlyTheMissedChanges() {
        try (RuncastServer server = TestServer.start(); WsTestClient first = WsTestClient.connect(server.port())) {
            int port = server.port();
            JsonNode feed = feedOf(port);
            first.send(subscribe(feed, ""));
            String epoch = first.awaitOp("subscribed").path("epoch").asText();
            ok(post(port, "/api/runs/x/events", "{\"type\":\"run.started\"}"));
            JsonNode seen = read(first, sawChange("created x running@1")).get(0);
            first.abort();

            ok(post(port, "/api/runs/y/events", "{\"type\":\"run.started\"}"));
            ok(post(port, "/api/runs/x/pause", ""));
            ok(post(port, "/api/runs/y/cancel", ""));
            try (WsTestClient again = WsTestClient.connect(port)) {
                long since = seen.path("seq").asLong();
                again.send("{\"op\":\"subscribe\",\"id\":2,\"run\":\"$runs\",\"since\":" + since + ",\"epoch\":\"" + epoch + "\"}");
                JsonNode resumed = again.awaitOp("subscribed");
                assertThat(resumed.path("recovered").asBoolean()).isTrue();
                assertThat(resumed.path("epoch").asText()).isEqualTo(epoch);
                List<JsonNode> missed = read(again, sawChange("status y cancelled@2"));
                assertThat(changes(missed)).map(FeedOverSocketsTest::line)
                        .containsExactly("created y running@1", "status x paused@2", "status y cancelled@2");
                List<Long> seqs = missed.stream().map(e -> e.path("seq").asLong()).toList();
                for (int i = 0; i < seqs.size(); i++) assertThat(seqs.get(i)).as("gapless after since").isEqualTo(since + 1 + i);
            }
        }
    }

    @Test
    void serverRestart_resumeIsAnsweredNotRecovered_evenWhenTheNewFeedIsLonger() {
        JsonNode before;
        int port;
        try (RuncastServer server = TestServer.start()) {
            port = server.port();
            ok(post(port, "/api/runs/r1/events", "{\"type\":\"run.started\"}"));
            // the feed turns commits into its events on its own thread: wait for runs.created to be in it
            org.awaitility.Awaitility.await().until(() -> feedOf(port).path("head").asLong() == 2);
            before = feedOf(port);
        }
        int samePort = port;
        try (RuncastServer server = TestServer.start(b -> b.port(samePort)); WsTestClient c = WsTestClient.connect(samePort)) {
            for (String run : List.of("n1", "n2", "n3")) ok(post(samePort, "/api/runs/" + run + "/events", "{\"type\":\"run.started\"}"));
            org.awaitility.Awaitility.await().until(() -> server.services().feed().position().head() >= 4);
            c.send(subscribe(before, "")); // since 2 of the old epoch; the new feed is past 2 already
            JsonNode answer = c.awaitOp("subscribed");
            assertThat(answer.path("recovered").asBoolean()).isFalse();
            assertThat(answer.path("epoch").asText()).isNotEqualTo(before.path("epoch").asText());
            JsonNode first = read(c, ev -> !ev.isEmpty()).get(0);
            assertThat(first.path("seq").asLong()).as("the new feed from its start").isEqualTo(1);
            assertThat(first.path("type").asText()).isEqualTo(RunFeed.OPENED);
        }
    }

    @Test
    void sse_resumesFromLastEventId_withExactlyTheMissedChanges() throws Exception {
        try (RuncastServer server = TestServer.start()) {
            int port = server.port();
            JsonNode feed = feedOf(port);
            String path = "/api/runs/$runs/stream?epoch=" + feed.path("epoch").asText();
            String lastId;
            try (SseReader sse = new SseReader(port, path, feed.path("head").asText())) {
                assertThat(sse.status).isEqualTo(200);
                SseReader.Message hello = sse.next(Duration.ofSeconds(10));
                assertThat(hello.event()).isEqualTo("subscribed");
                assertThat(hello.data().path("recovered").asBoolean()).isTrue();
                ok(post(port, "/api/runs/e1/events", "{\"type\":\"run.started\"}"));
                SseReader.Message created = sse.next(Duration.ofSeconds(10));
                assertThat(line(created.data())).isEqualTo("created e1 running@1");
                assertThat(created.id()).isEqualTo(created.data().path("seq").asText());
                lastId = created.id();
            }
            ok(post(port, "/api/runs/e2/events", "{\"type\":\"run.started\"}"));
            ok(post(port, "/api/runs/e1/cancel", ""));
            try (SseReader sse = new SseReader(port, path, lastId)) {
                assertThat(sse.next(Duration.ofSeconds(10)).data().path("recovered").asBoolean()).isTrue();
                List<String> changes = new ArrayList<>();
                long expectedId = Long.parseLong(lastId) + 1;
                while (changes.size() < 2) {
                    SseReader.Message m = sse.next(Duration.ofSeconds(10));
                    assertThat(m.id()).isEqualTo(String.valueOf(expectedId++));
                    if (!m.data().path("type").asText().equals(RunFeed.PROGRESS)) changes.add(line(m.data()));
                }
                assertThat(changes).containsExactly("created e2 running@1", "status e1 cancelled@2");
            }
        }
    }

    @Test
    void publishingOrControllingTheFeed_isRefused_andNothingIsStored() {
        try (RuncastServer server = TestServer.start(); WsTestClient c = WsTestClient.connect(server.port())) {
            int port = server.port();
            long head = server.services().feed().position().head();
            for (String path : List.of("/api/runs/$runs/events", "/api/runs/%24runs/events")) {
                HttpResponse<String> res = post(port, path, "{\"type\":\"x.fake\",\"data\":{\"run\":\"forged\"}}");
                assertThat(res.statusCode()).isEqualTo(400);
                assertThat(Json.parse(res.body()).path("error").path("code").asText()).isEqualTo("invalid_run");
            }
            HttpResponse<String> cancel = post(port, "/api/runs/$runs/cancel", "");
            assertThat(Json.parse(cancel.body()).path("error").path("code").asText()).isEqualTo("invalid_run");
            c.awaitOp("connected");
            c.send("{\"op\":\"publish\",\"id\":7,\"run\":\"$runs\",\"event\":{\"type\":\"x.fake\"}}");
            JsonNode refused = c.awaitOp("error");
            assertThat(refused.path("id").asInt()).isEqualTo(7);
            assertThat(refused.path("code").asText()).isEqualTo("invalid_run");
            c.send("{\"op\":\"pause\",\"id\":8,\"run\":\"$runs\"}");
            assertThat(c.awaitOp("error").path("code").asText()).isEqualTo("invalid_run");
            // Feed types are not publishable either, so no run can carry a forged feed event.
            c.send("{\"op\":\"publish\",\"id\":9,\"run\":\"r\",\"event\":{\"type\":\"runs.status\"}}");
            assertThat(c.awaitOp("error").path("code").asText()).isEqualTo("invalid_type");
            // Only $runs is reserved: other $ names are still invalid run ids.
            c.send("{\"op\":\"subscribe\",\"id\":10,\"run\":\"$other\"}");
            assertThat(c.awaitOp("error").path("code").asText()).isEqualTo("invalid_run");

            assertThat(server.services().feed().position().head()).isEqualTo(head);
            assertThat(server.engine().list(10, false)).isEmpty();
        }
    }

    @Test
    void abandonedRun_isReportedFailedWithReasonAbandoned() {
        try (RuncastServer server = TestServer.start(b -> b.abandonAfter(Duration.ofMillis(1000)));
             WsTestClient c = WsTestClient.connect(server.port())) {
            c.send(subscribe(feedOf(server.port()), ""));
            c.awaitOp("subscribed");
            ok(post(server.port(), "/api/runs/gone/events", "{\"type\":\"run.started\"}"));
            List<JsonNode> events = read(c, sawChange("status gone failed@2 abandoned"));
            assertThat(changes(events)).map(FeedOverSocketsTest::line).containsExactly("created gone running@1", "status gone failed@2 abandoned");
        }
    }

    @Test
    void unsubscribe_andTheSubscriptionLimit_workAsForRuns() {
        try (RuncastServer server = TestServer.start(b -> b.maxSubscriptions(1)); WsTestClient c = WsTestClient.connect(server.port())) {
            c.send("{\"op\":\"subscribe\",\"id\":1,\"run\":\"$runs\"}");
            assertThat(c.awaitOp("subscribed").path("recovered").asBoolean()).isTrue();
            c.send("{\"op\":\"subscribe\",\"id\":2,\"run\":\"$runs\"}");
            assertThat(c.awaitOp("error").path("code").asText()).isEqualTo("already_subscribed");
            c.send("{\"op\":\"subscribe\",\"id\":3,\"run\":\"other\"}");
            assertThat(c.awaitOp("error").path("code").asText()).isEqualTo("limit_exceeded");
            c.send("{\"op\":\"unsubscribe\",\"id\":4,\"run\":\"$runs\"}");
            assertThat(c.awaitOp("unsubscribed").path("run").asText()).isEqualTo("$runs");
            assertThat(server.services().feed().hub().subscribers(RunFeed.RUN)).isZero();
            c.send("{\"op\":\"subscribe\",\"id\":5,\"run\":\"other\"}");
            assertThat(c.awaitOp("subscribed").path("run").asText()).isEqualTo("other");
        }
    }
}
