package io.runcast.seeds;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.seeds.testing.FrameClient;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One run published natively (HTTP), watched at once through the native WebSocket, SSE and all five
 * seed formats: every watcher sees the run's events in the same order, each once. Each event carries a
 * marker ({@code m<seq>}) in its text, so a watcher's frames, whatever their shape, show which events
 * it was given and in what order.
 */
class OneRunEveryFormatTest {
    private static final Pattern MARKER = Pattern.compile("\\bm(\\d+)\\b");
    private static final String RUN = "every.1";

    /** The run, in three publishes (live, not all at once); marker n sits in the n-th event. */
    private static final List<String> BATCHES = List.of("""
            [{"type":"run.started","data":{"kind":"chat","conversation":"every","turn":1,"message":"Question m1","agent":"scripted","query":"Question m1"}},
             {"type":"step.started","step":"respond","agent":"scripted","data":{"agent":"scripted","note":"m2"}}]""", """
            [{"type":"agent.thinking","step":"respond","agent":"scripted","data":{"content":"m3 thinking it over"}},
             {"type":"step.progress","step":"respond","agent":"scripted","data":{"progress":50,"message":"m4 halfway"}},
             {"type":"tool.call","step":"respond","agent":"scripted","data":{"tool":"calculator","input":{"expression":"m5"},"call":"c1"}},
             {"type":"tool.result","step":"respond","agent":"scripted","data":{"tool":"calculator","output":{"result":"m6"},"call":"c1","duration_ms":1}}]""", """
            [{"type":"answer.delta","step":"respond","agent":"scripted","data":{"text":"m7 "}},
             {"type":"answer.delta","step":"respond","agent":"scripted","data":{"text":"m8"}},
             {"type":"answer.final","step":"respond","agent":"scripted","data":{"text":"m9 the answer"}},
             {"type":"step.completed","step":"respond","agent":"scripted","data":{"result":{"answer":"m10"},"duration_ms":5}},
             {"type":"run.completed","data":{"summary":{"events":11}}}]""");

    @Test
    void aRunPublishedNatively_reachesEveryFormat_inTheSameOrder() throws Exception {
        try (RuncastServer server = TestServer.start()) {
            Seeds.install(server);
            int port = server.port();
            Map<String, List<String>> seen = new LinkedHashMap<>();

            WsTestClient nativeWs = WsTestClient.connect(port);
            nativeWs.awaitOp("connected");
            nativeWs.send("{\"op\":\"subscribe\",\"run\":\"" + RUN + "\"}");
            nativeWs.awaitOp("subscribed");

            List<String> sse = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> sseEnded = new CompletableFuture<>();
            CompletableFuture<HttpResponse<Stream<String>>> sseResponse = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/" + RUN + "/stream")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            sseResponse.thenAccept(r -> new Thread(() -> r.body().takeWhile(l -> !sseEnded.isDone()).forEach(line -> {
                if (line.startsWith("data: ")) sse.add(line);
                if (line.startsWith("event: end")) sseEnded.complete(null);
            })).start());

            FrameClient plan = FrameClient.connect(port, "/ws/streaming");
            plan.send("{\"type\":\"subscribe_plan\",\"plan_id\":\"" + RUN + "\"}");
            plan.await(f -> f.path("type").asText().equals("subscription_confirmed"), 5_000);
            FrameClient research = FrameClient.connect(port, "/api/v1/streaming/ws/watcher-1?plan_id=" + RUN);
            research.await(f -> f.path("event_type").asText().equals("ping"), 5_000);
            FrameClient reasoning = FrameClient.connect(port, "/ws/chat/every");
            reasoning.await(f -> f.path("type").asText().equals("connected"), 5_000);

            assertThat(post(port, "/api/runs/" + RUN + "/events", BATCHES.get(0)).statusCode()).isEqualTo(200);
            // 003 watches a session, which exists once its first turn does; it then follows the turn under way
            FrameClient manager = FrameClient.connect(port, "/api/chat/ws?session_id=every");
            manager.await(f -> f.path("type").asText().equals("connection_established"), 5_000);
            // the fleet's client asks its question once the run exists: the same request joins it
            FrameClient fleet = FrameClient.connect(port, "/api/ws/chat");
            fleet.send(Json.object().put("message", "Question m1").put("conversation_id", "every").put("stream", true));
            fleet.await(f -> f.path("type").asText().equals("connected"), 5_000);
            for (String batch : BATCHES.subList(1, BATCHES.size())) {
                assertThat(post(port, "/api/runs/" + RUN + "/events", batch).statusCode()).isEqualTo(200);
            }

            seen.put("native", texts(untilFrame(nativeWs, f -> f.path("op").asText().equals("end"))));
            sseEnded.get(10, TimeUnit.SECONDS);
            seen.put("sse", List.copyOf(sse));
            seen.put("seed-000", texts(plan.until(f -> f.path("data").path("status").asText().equals("completed")
                    && f.path("type").asText().equals("plan_update"), 10_000)));
            seen.put("seed-001", texts(research.until(f -> f.path("event_type").asText().equals("plan_completed"), 10_000)));
            seen.put("seed-002", texts(reasoning.until(f -> f.path("type").asText().equals("reasoning_complete"), 10_000)));
            seen.put("seed-003", texts(manager.until(f -> f.path("data").path("state").asText().contains("completed")
                    || f.toString().contains("workflow_completed"), 10_000)));
            seen.put("seed-004", texts(fleet.until(f -> f.path("type").asText().equals("done"), 10_000)));

            List<Integer> all = markers(seen.get("native"));
            assertThat(all).as("the native stream carries every event once, in order").containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            for (var e : seen.entrySet()) {
                List<Integer> order = markers(e.getValue());
                assertThat(order).as(e.getKey() + " shows events in publish order: " + order).isSorted();
                assertThat(order).as(e.getKey() + " shows only events of the run").isSubsetOf(all);
                assertThat(order.size()).as(e.getKey() + " shows the run (" + order + ")").isGreaterThanOrEqualTo(3);
            }
            assertThat(markers(seen.get("sse"))).isEqualTo(all);
            for (AutoCloseable c : List.of(nativeWs, plan, research, reasoning, manager, fleet)) c.close();
        }
    }

    private static List<JsonNode> untilFrame(WsTestClient c, Predicate<JsonNode> last) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode f = c.next(10_000);
            out.add(f);
            if (last.test(f)) return out;
        }
    }

    private static List<String> texts(List<JsonNode> frames) {
        return frames.stream().map(JsonNode::toString).toList();
    }

    /** The markers of a watcher's frames, each at its first appearance, in the order the frames came. */
    private static List<Integer> markers(List<String> frames) {
        List<Integer> out = new ArrayList<>();
        for (String f : frames) {
            Matcher m = MARKER.matcher(f);
            while (m.find()) {
                int n = Integer.parseInt(m.group(1));
                if (!out.contains(n)) out.add(n);
            }
        }
        return out;
    }
}
