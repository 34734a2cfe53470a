package io.runcast.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.runcast.event.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, end to end: producers publish over HTTP as fast as they can while the
 * server process is SIGKILLed and restarted several times. A producer whose request failed retries
 * it with the same idempotency keys (as a real producer would), so in the end every event it sent
 * is acknowledged. Afterwards: every acknowledged event is stored exactly once at its acknowledged
 * seq, seqs are gapless, and a WebSocket subscriber that resumed after each kill saw exactly the
 * stored stream.
 */
class KillNineTest {
    private static final String[] RUNS = {"kill-a", "kill-b", "kill-c"};
    private static final int PRODUCERS = 6;
    private static final int KILLS = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path tmp;

    /** What producers were told: key → (run, seq, id). */
    private record Ack(String run, long seq, String id) {}

    private final Map<String, Ack> acked = new ConcurrentHashMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger retried = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean producing = true;

    @Test
    void sigkillDuringPublishing_losesNoAcknowledgedEvent_andResumeSeesExactlyTheStream() throws Exception {
        long seed = Long.getLong("runcast.seed", System.nanoTime());
        System.out.println("KillNineTest seed=" + seed + " (rerun with -Druncast.seed=" + seed + ")");
        Random random = new Random(seed);
        Path log = tmp.resolve("server.log");
        try (ServerProcess server = new ServerProcess(tmp.resolve("data"), log,
                List.of("--sync", "normal", "--history-events", "1000000", "--abandon-after", "0"))) {
            server.start();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int id = p;
                long producerSeed = random.nextLong();
                producers.add(new Thread(() -> produce(server.port, id, new Random(producerSeed)), "producer-" + p));
            }
            producers.forEach(Thread::start);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() > 50);
            ResumingSubscriber watcher = new ResumingSubscriber(server.port, RUNS[0]);
            Thread watcherThread = new Thread(watcher, "resuming-subscriber");
            watcherThread.start();

            for (int k = 0; k < KILLS; k++) {
                Thread.sleep(1500 + random.nextInt(1500));
                int before = acked.size();
                server.kill();
                System.out.printf("kill %d: %d events acknowledged so far%n", k + 1, before);
                Thread.sleep(random.nextInt(300));
                server.start();
            }
            Thread.sleep(1000);
            producing = false;
            for (Thread t : producers) t.join(TimeUnit.SECONDS.toMillis(20));

            long total = 0;
            for (String run : RUNS) total += verifyRun(server.port, run);
            System.out.printf("%d events acknowledged across %d runs, %d kills; %d requests retried, %d events"
                    + " found already stored on retry; subscriber resumed %d times%n",
                    total, RUNS.length, KILLS, retried.get(), duplicates.get(), watcher.resumes);
            assertThat(total).isEqualTo(acked.size());

            List<JsonNode> stored = readAll(server.port, RUNS[0]);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastSeq() >= stored.size());
            watcher.stop();
            watcherThread.join(5000);
            assertThat(watcher.problems).isEmpty();
            assertThat(watcher.resumes).isGreaterThanOrEqualTo(1);
            assertThat(watcher.events).extracting(e -> e.path("seq").asLong() + "/" + e.path("id").asText())
                    .containsExactlyElementsOf(stored.stream().map(e -> e.path("seq").asLong() + "/" + e.path("id").asText()).toList());
        }
        assertThat(problems).isEmpty();
    }

    /** Publishes batches of 1–3 keyed events until told to stop; retries each batch until acknowledged. */
    private void produce(int port, int producer, Random random) {
        for (int n = 0; producing; n++) {
            String run = RUNS[random.nextInt(RUNS.length)];
            int size = 1 + random.nextInt(3);
            ArrayNode batch = Json.MAPPER.createArrayNode();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String key = "p" + producer + "-" + n + "-" + i;
                keys.add(key);
                batch.addObject().put("type", "x.load").put("key", key).putObject("data").put("key", key);
            }
            JsonNode reply = publishUntilAcknowledged(port, run, Json.write(batch));
            if (reply == null) return;
            JsonNode accepted = reply.path("accepted");
            for (int i = 0; i < size; i++) {
                JsonNode a = accepted.get(i);
                Ack ack = new Ack(run, a.path("seq").asLong(), a.path("id").asText());
                if (a.path("duplicate").asBoolean()) duplicates.incrementAndGet();
                Ack earlier = acked.putIfAbsent(keys.get(i), ack);
                if (earlier != null && !earlier.equals(ack)) problems.add(keys.get(i) + " acked twice differently");
            }
        }
    }

    private JsonNode publishUntilAcknowledged(int port, String run, String body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/" + run + "/events"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < giveUp) {
            try {
                HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return Json.parse(r.body());
                if (r.statusCode() < 500 && r.statusCode() != 429) {
                    problems.add("publish refused: " + r.statusCode() + " " + r.body());
                    return null;
                }
            } catch (IOException serverDown) {
                retried.incrementAndGet();
                // killed mid-request: whether it was stored is unknown, so retry with the same keys
            } catch (InterruptedException e) {
                return null;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return null;
            }
        }
        problems.add("publish to " + run + " not acknowledged within 30 s");
        return null;
    }

    /** Checks one run against the acknowledgements; returns its number of events. */
    private long verifyRun(int port, String run) {
        List<JsonNode> events = readAll(port, run);
        Map<String, Ack> expected = new HashMap<>();
        acked.forEach((key, ack) -> {
            if (ack.run().equals(run)) expected.put(key, ack);
        });
        Map<String, Ack> found = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            assertThat(e.path("seq").asLong()).as("gapless seq in " + run).isEqualTo(i + 1);
            String key = e.path("data").path("key").asText();
            Ack previous = found.put(key, new Ack(run, e.path("seq").asLong(), e.path("id").asText()));
            assertThat(previous).as("event " + key + " stored once").isNull();
        }
        assertThat(found).as("stored events of " + run + " = acknowledged events").isEqualTo(expected);
        return events.size();
    }

    private static List<JsonNode> readAll(int port, String run) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/" + run
                    + "/events?after=" + out.size() + "&limit=1000")).build();
            try {
                JsonNode page = Json.parse(HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body());
                page.path("events").forEach(out::add);
                if (page.path("events").size() < 1000) return out;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
