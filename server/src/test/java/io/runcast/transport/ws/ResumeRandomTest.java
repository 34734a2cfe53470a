package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Seeded random resume: producers publish concurrently over HTTP while clients subscribe, drop
 * their connection at random moments and resume with since/epoch. Every client must end up with
 * 1..head exactly once, in order. Re-run a failure with -Druncast.seed=N.
 */
class ResumeRandomTest {
    static final int PRODUCERS = 4, EVENTS_PER_PRODUCER = 400, CLIENTS = 12;

    @Test
    void clientsThatDropAndResume_seeEveryEventExactlyOnceInOrder() throws Exception {
        long seed = Long.getLong("runcast.seed", System.nanoTime());
        System.out.println("ResumeRandomTest seed=" + seed);
        Random master = new Random(seed);
        try (RuncastServer server = TestServer.start()) {
            int port = server.port();
            String run = "resume-" + Long.toHexString(seed);
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CLIENTS);
            AtomicBoolean producing = new AtomicBoolean(true);
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int pid = p;
                Random r = new Random(master.nextLong());
                producers.add(pool.submit(() -> {
                    for (int i = 0; i < EVENTS_PER_PRODUCER; i++) {
                        var res = TestServer.post(port, "/api/runs/" + run + "/events",
                                "{\"type\":\"answer.delta\",\"data\":{\"p\":" + pid + ",\"i\":" + i + "}}");
                        assertThat(res.statusCode()).isEqualTo(200);
                        if (r.nextInt(50) == 0) sleep(r.nextInt(5));
                    }
                    return null;
                }));
            }
            List<Future<List<Long>>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Random r = new Random(master.nextLong());
                clients.add(pool.submit(() -> consume(port, run, r)));
            }
            for (Future<?> f : producers) f.get(60, TimeUnit.SECONDS);
            producing.set(false);
            TestServer.post(port, "/api/runs/" + run + "/events", "{\"type\":\"run.completed\"}");
            long head = PRODUCERS * EVENTS_PER_PRODUCER + 1L;
            List<Long> expected = LongStream.rangeClosed(1, head).boxed().toList();
            for (int c = 0; c < CLIENTS; c++) {
                assertThat(clients.get(c).get(60, TimeUnit.SECONDS)).as("client %d, seed %d", c, seed)
                        .containsExactlyElementsOf(expected);
            }
            pool.shutdownNow();
        }
    }

    /** Subscribes, drops at random, resumes from the last seq, until the run's end frame. */
    private static List<Long> consume(int port, String run, Random r) {
        List<Long> seen = new ArrayList<>();
        String epoch = null;
        int drops = 0;
        sleep(r.nextInt(30));
        while (true) {
            try (WsTestClient c = WsTestClient.connect(port)) {
                c.awaitOp("connected");
                long since = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
                c.send("{\"op\":\"subscribe\",\"run\":\"" + run + "\",\"since\":" + since
                        + (epoch == null ? "" : ",\"epoch\":\"" + epoch + "\"") + "}");
                JsonNode sub = c.awaitOp("subscribed");
                assertThat(sub.path("recovered").asBoolean()).as("recovered after %d drops", drops).isTrue();
                if (!sub.path("epoch").isNull()) epoch = sub.path("epoch").asText();
                int budget = drops < 6 ? r.nextInt(400) : Integer.MAX_VALUE; // frames before the next drop
                while (budget-- > 0) {
                    JsonNode f = c.next(20_000);
                    String op = f.path("op").asText();
                    if (op.equals("event")) {
                        seen.add(f.path("seq").asLong());
                    } else if (op.equals("end")) {
                        return seen;
                    }
                }
                drops++;
                c.abort();
            }
            sleep(r.nextInt(20));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
