package io.runcast.transport.http;

import static io.runcast.testing.TestServer.get;
import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpApiTest {
    static RuncastServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.maxFrameBytes(8192));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.parse(r.body());
    }

    @Test
    void publishOneOrMany_answersSeqs_andReadsBackPaged() {
        JsonNode one = json(post(port, "/api/runs/h1/events", "{\"type\":\"run.started\",\"data\":{\"query\":\"q\"}}"));
        assertThat(one.path("accepted").get(0).path("seq").asLong()).isEqualTo(1);
        JsonNode many = json(post(port, "/api/runs/h1/events",
                "[{\"type\":\"agent.thinking\",\"agent\":\"a\"},{\"type\":\"tool.call\",\"step\":\"s\"},{\"type\":\"x.custom.thing\"}]"));
        assertThat(many.path("accepted").findValuesAsText("seq")).containsExactly("2", "3", "4");

        JsonNode page = json(get(port, "/api/runs/h1/events?after=1&limit=2"));
        assertThat(page.path("head").asLong()).isEqualTo(4);
        assertThat(page.path("first").asLong()).isEqualTo(1);
        assertThat(page.path("events").findValuesAsText("seq")).containsExactly("2", "3");
        assertThat(page.path("events").get(0).path("type").asText()).isEqualTo("agent.thinking");

        JsonNode info = json(get(port, "/api/runs/h1"));
        assertThat(info.path("status").asText()).isEqualTo("running");
        assertThat(info.path("head").asLong()).isEqualTo(4);
        assertThat(info.path("epoch").asText()).isNotEmpty();
        assertThat(info.path("created").asText()).endsWith("Z");
    }

    @Test
    void idempotencyKey_repeatReturnsOriginalSeq() {
        post(port, "/api/runs/idem/events", "{\"type\":\"run.started\"}");
        JsonNode a = json(post(port, "/api/runs/idem/events", "{\"type\":\"log.line\",\"key\":\"k1\"}"));
        JsonNode b = json(post(port, "/api/runs/idem/events", "{\"type\":\"log.line\",\"key\":\"k1\"}"));
        assertThat(b.path("accepted").get(0).path("seq").asLong()).isEqualTo(a.path("accepted").get(0).path("seq").asLong());
        assertThat(b.path("accepted").get(0).path("duplicate").asBoolean()).isTrue();
        assertThat(json(get(port, "/api/runs/idem")).path("head").asLong()).isEqualTo(2);
    }

    @Test
    void listRuns_newestFirst_withStatusAndSubscribers() throws Exception {
        post(port, "/api/runs/list-a/events", "{\"type\":\"run.started\"}");
        Thread.sleep(5);
        post(port, "/api/runs/list-b/events", "[{\"type\":\"run.started\"},{\"type\":\"run.completed\"}]");
        try (WsTestClient c = WsTestClient.connect(port)) {
            c.awaitOp("connected");
            c.send("{\"op\":\"subscribe\",\"run\":\"list-a\"}");
            c.awaitOp("subscribed");
            JsonNode runs = json(get(port, "/api/runs")).path("runs");
            int a = -1, b = -1;
            for (int i = 0; i < runs.size(); i++) {
                if (runs.get(i).path("run").asText().equals("list-a")) a = i;
                if (runs.get(i).path("run").asText().equals("list-b")) b = i;
            }
            assertThat(b).isLessThan(a).isNotNegative();
            assertThat(runs.get(a).path("subscribers").asInt()).isEqualTo(1);
            assertThat(runs.get(b).path("status").asText()).isEqualTo("completed");
            JsonNode open = json(get(port, "/api/runs?status=open")).path("runs");
            assertThat(open.findValuesAsText("run")).contains("list-a").doesNotContain("list-b");
            JsonNode clients = json(get(port, "/api/clients")).path("clients");
            assertThat(clients.size()).isGreaterThanOrEqualTo(1);
            assertThat(clients.findValuesAsText("transport")).contains("ws");
        }
    }

    @Test
    void badRequests_getStructuredErrors_andStoreNothing() {
        expect(post(port, "/api/runs/bad/events", "{oops"), 400, "bad_json");
        expect(post(port, "/api/runs/bad/events", ""), 400, "bad_json");
        expect(post(port, "/api/runs/bad/events", "{\"data\":{}}"), 400, "bad_request");
        expect(post(port, "/api/runs/bad/events", "{\"type\":7}"), 400, "bad_request");
        expect(post(port, "/api/runs/bad/events", "{\"type\":\"nope\"}"), 400, "invalid_type");
        expect(post(port, "/api/runs/bad/events", "[]"), 400, "bad_request");
        expect(post(port, "/api/runs/bad/events", "[{\"type\":\"log.line\"},{\"type\":\"nope\"}]"), 400, "invalid_type");
        expect(post(port, "/api/runs/bad/events", "{\"type\":\"log.line\",\"data\":{\"p\":\"" + "x".repeat(9000) + "\"}}"), 413, "too_large");
        expect(post(port, "/api/runs/b%20d/events", "{\"type\":\"log.line\"}"), 400, "invalid_run");
        expect(post(port, "/api/runs/bad/events", "[{\"type\":\"run.completed\"},{\"type\":\"log.line\"}]"), 409, "run_closed");
        expect(get(port, "/api/runs/bad"), 404, "not_found");
        expect(get(port, "/api/runs/bad/events"), 404, "not_found");
        expect(get(port, "/api/nope"), 404, "not_found");
        expect(get(port, "/api/runs?limit=0"), 400, "bad_request");
        expect(get(port, "/api/runs/x/events?after=-3"), 400, "bad_request");
        // closed run refuses appends
        post(port, "/api/runs/closed/events", "{\"type\":\"run.failed\",\"data\":{\"reason\":\"test\"}}");
        expect(post(port, "/api/runs/closed/events", "{\"type\":\"log.line\"}"), 409, "run_closed");
        assertThat(json(get(port, "/api/runs/closed")).path("head").asLong()).isEqualTo(1);
    }

    @Test
    void corsPreflight_allowsJsonPostsFromOtherOrigins() throws Exception {
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/runs/x/events"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://127.0.0.1:3001").header("Access-Control-Request-Method", "POST").build();
        var res = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(204);
        assertThat(res.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
        assertThat(res.headers().firstValue("access-control-allow-headers").orElse("")).contains("content-type");
        assertThat(post(port, "/api/runs/cors/events", "{\"type\":\"log.line\"}").headers()
                .firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void health_andMetrics() {
        JsonNode h = json(get(port, "/api/health"));
        assertThat(h.path("status").asText()).isEqualTo("ok");
        assertThat(h.path("store").asText()).isEqualTo("memory");
        var m = get(port, "/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("runcast_connections");
    }

    private static void expect(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").path("code").asText()).isEqualTo(code);
        assertThat(json(r).path("error").path("message").asText()).isNotEmpty();
    }
}
