package io.runcast.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.runcast.agent.Agent;
import io.runcast.event.EventTypes;
import io.runcast.server.RuncastServer;
import io.runcast.testing.Blocked;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Measures how long a watcher waits for {@code run.cancelled} after asking for the cancel, over the real
 * WebSocket and HTTP API, while the agent is blocked in five different ways, and how long until the
 * agent's thread actually stopped. Prints the distributions; asserts only a generous bound.
 */
class CancelLatencyTest {
    private static final int TRIALS = Integer.getInteger("cancel.trials", 80);
    private static final String[] MODES = {"socket-read", "http-call", "human-decision", "sleep", "ignores-interrupts"};
    /** Per mode, the call the agent's thread is blocked in once it has settled: class and method. */
    private static final Map<String, String[]> BLOCKED_IN = Map.of(
            "socket-read", new String[] {"java.net.Socket$SocketInputStream", "read"},
            "http-call", new String[] {"jdk.internal.net.http.HttpClientImpl", "send"},
            "human-decision", new String[] {"java.util.concurrent.CompletableFuture", "get"},
            "sleep", new String[] {"java.lang.Thread", "sleep"},
            "ignores-interrupts", new String[] {"java.lang.Thread", "sleep"});

    @Test
    void cancelLatency_distribution_overWsAndHttp() throws Exception {
        measure(TRIALS, false);
    }

    /** The same while another run streams ~10k events/s to three WebSocket subscribers. */
    @Test
    void cancelLatency_whileAnotherRunStreamsTokens() throws Exception {
        measure(Math.max(20, TRIALS / 2), true);
    }

    private void measure(int trials, boolean load) throws Exception {
        List<Long> delivered = new ArrayList<>();
        List<Long> stoppedMs = new ArrayList<>();
        List<Long> ws = new ArrayList<>();
        List<Long> viaHttp = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (ServerSocket silent = new ServerSocket(0);
             RuncastServer server = TestServer.start();
             PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
             WsTestClient watcher = WsTestClient.connect(server.port());
             WsTestClient cmd = WsTestClient.connect(server.port())) {
            watcher.awaitOp("connected");
            cmd.awaitOp("connected");
            // Accept and hold every connection without answering, so the backlog never fills.
            List<Socket> held = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (Exception closed) {
                    held.forEach(h -> { try { h.close(); } catch (Exception ignored) { } });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            List<WsTestClient> noiseWatchers = new ArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean stopNoise = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong noiseEvents = new java.util.concurrent.atomic.AtomicLong();
            Thread noise = new Thread(() -> {
                List<io.runcast.event.EventDraft> batch = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    batch.add(io.runcast.event.EventDraft.of(EventTypes.ANSWER_DELTA, io.runcast.event.Json.object().put("text", "token " + k)));
                }
                while (!stopNoise.get()) {
                    server.engine().publish("noise", batch).toCompletableFuture().join();
                    noiseEvents.addAndGet(batch.size());
                    try {
                        Thread.sleep(1); // a heavy but realistic token stream, not a CPU burner on a shared box
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            if (load) {
                for (int k = 0; k < 3; k++) {
                    WsTestClient n = WsTestClient.connect(server.port());
                    n.awaitOp("connected");
                    n.send("{\"op\":\"subscribe\",\"run\":\"noise\"}");
                    noiseWatchers.add(n);
                }
                noise.start();
            }
            long loadStart = System.nanoTime();
            for (int i = 0; i < trials; i++) {
                String mode = MODES[i % MODES.length];
                boolean viaWs = (i / MODES.length) % 2 == 0;
                String run = (load ? "lat-load-" : "lat-") + i;
                CountDownLatch blocked = new CountDownLatch(1);
                CountDownLatch stopped = new CountDownLatch(1);
                long[] stoppedAt = new long[1];
                Thread[] agentThread = new Thread[1];
                Agent agent = ctx -> {
                    agentThread[0] = Thread.currentThread();
                    try {
                        switch (mode) {
                            case "socket-read" -> {
                                Socket s = new Socket();
                                s.connect(new InetSocketAddress("127.0.0.1", silent.getLocalPort()));
                                ctx.onCancel(s);
                                InputStream in = s.getInputStream();
                                blocked.countDown();
                                in.read();
                            }
                            case "http-call" -> {
                                // java.net.http's blocking send ends on interruption.
                                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/slow")).build();
                                blocked.countDown();
                                http.send(req, HttpResponse.BodyHandlers.discarding());
                            }
                            case "human-decision" -> {
                                blocked.countDown();
                                ctx.decide("ok?", List.of("yes"), null, null, false, null);
                            }
                            case "sleep" -> {
                                blocked.countDown();
                                ctx.sleep(Duration.ofMinutes(5));
                            }
                            default -> {
                                blocked.countDown();
                                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                                while (System.nanoTime() < end) {
                                    try {
                                        Thread.sleep(20);
                                    } catch (InterruptedException ignored) {
                                        // a badly behaved agent: only the context notices the cancel
                                    }
                                    if (ctx.cancelled()) break;
                                }
                            }
                        }
                    } finally {
                        stoppedAt[0] = System.nanoTime();
                        stopped.countDown();
                    }
                    return null;
                };
                watcher.send("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}");
                watcher.awaitOp("subscribed");
                executor.start(run, Plan.of("q", Step.of("s", "a", agent)));
                assertThat(blocked.await(5, TimeUnit.SECONDS)).as("trial %d (%s) reached its blocking call", i, mode).isTrue();
                if (mode.equals("human-decision")) {
                    watcher.await(f -> EventTypes.DECISION_REQUESTED.equals(f.path("type").asText()), 5000);
                }
                Blocked.awaitIn(agentThread[0], BLOCKED_IN.get(mode)[0], BLOCKED_IN.get(mode)[1]);
                long t0 = System.nanoTime();
                if (viaWs) {
                    cmd.send("{\"op\":\"cancel\",\"run\":\"" + run + "\"}");
                } else {
                    http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/runs/" + run + "/cancel"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                }
                watcher.await(f -> EventTypes.RUN_CANCELLED.equals(f.path("type").asText()) && run.equals(f.path("run").asText()), 5000);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                delivered.add(ms);
                (viaWs ? ws : viaHttp).add(ms);
                watcher.awaitOp("end");
                assertThat(stopped.await(5, TimeUnit.SECONDS)).as("agent stopped (%s)", mode).isTrue();
                stoppedMs.add(Math.max(0, (stoppedAt[0] - t0) / 1_000_000));
            }
            stopNoise.set(true);
            if (load) {
                noise.join();
                long secs = Math.max(1, (System.nanoTime() - loadStart) / 1_000_000_000);
                System.out.println("background load: " + noiseEvents.get() + " events appended (~" + noiseEvents.get() / secs + "/s)");
            }
            noiseWatchers.forEach(WsTestClient::close);
        }
        String d = describe(delivered);
        String s = describe(stoppedMs);
        System.out.println((load ? "[under load] " : "") + "cancel -> run.cancelled at a WS watcher, " + trials + " trials (WS and HTTP; blocked in socket read, HTTP call, human decision, sleep, or ignoring interrupts): " + d);
        System.out.println("  of which WS cancel: " + describe(ws) + "; HTTP cancel: " + describe(viaHttp));
        System.out.println("cancel -> agent thread stopped: " + s);
        assertThat(Collections.max(delivered)).as("generous bound; issue asks for 250 ms").isLessThan(1000);
    }

    private static String describe(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        return "p50=" + pct(sorted, 50) + "ms p90=" + pct(sorted, 90) + "ms p99=" + pct(sorted, 99) + "ms max=" + sorted.get(sorted.size() - 1) + "ms";
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
