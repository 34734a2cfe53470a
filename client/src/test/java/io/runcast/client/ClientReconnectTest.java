package io.runcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.config.RuncastConfig;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.store.EventStore;
import io.runcast.store.memory.MemoryEventStore;
import io.runcast.testing.TcpProxy;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client against real servers that stop, restart and lose their network. */
class ClientReconnectTest {
    static final ClientConfig FAST = ClientConfig.DEFAULTS.withBackoff(Duration.ofMillis(50), Duration.ofMillis(400));

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) c.close();
    }

    /** Records what a subscription hands over. */
    static final class Recorder implements RunListener {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<SubscribeReply> replies = new CopyOnWriteArrayList<>();
        volatile long endedAt = -1;
        volatile int resets;

        @Override public void onEvent(Event event) { events.add(event); }
        @Override public void onSubscribed(SubscribeReply reply) { replies.add(reply); }
        @Override public void onReset(SubscribeReply reply, long hadSeq) { resets++; }
        @Override public void onEnd(String run, long seq) { endedAt = seq; }

        List<Long> seqs() {
            return events.stream().map(Event::seq).toList();
        }
    }

    static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static RuncastServer server(int port, EventStore store, Duration heartbeat) {
        RuncastConfig cfg = RuncastConfig.builder().port(port).store("memory").heartbeat(heartbeat).build();
        return RuncastServer.start(cfg, store);
    }

    static List<EventDraft> thoughts(int from, int to) {
        List<EventDraft> out = new ArrayList<>();
        for (int i = from; i <= to; i++) out.add(EventDraft.of("agent.thinking", Json.object().put("content", "thought " + i)));
        return out;
    }

    private RuncastClient client(int port, List<StateChange> states) {
        RuncastClient c = RuncastClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), FAST, states::add);
        cleanup.add(c);
        return c;
    }

    @Test
    void serverRestart_onSamePort_resumesEveryRunWithoutGapOrDuplicate() throws Exception {
        int port = freePort();
        EventStore store = new KeepOpenStore(new MemoryEventStore());
        RuncastServer first = server(port, store, Duration.ofSeconds(25));
        List<StateChange> states = new CopyOnWriteArrayList<>();
        RuncastClient client = client(port, states);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        client.subscribe("restart-a", a);
        client.subscribe("restart-b", b);
        first.publishAndWait("restart-a", thoughts(1, 40));
        first.publishAndWait("restart-b", thoughts(1, 10));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.events.size() == 40 && b.events.size() == 10);

        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
        // Written while no server runs: only a resume from the store can deliver these.
        store.append("restart-a", thoughts(41, 60)).toCompletableFuture().join();
        store.append("restart-b", thoughts(11, 15)).toCompletableFuture().join();

        RuncastServer second = server(port, store, Duration.ofSeconds(25));
        cleanup.add(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.OPEN);
        second.publishAndWait("restart-a", thoughts(61, 80));
        second.publishAndWait("restart-a", List.of(EventDraft.of("run.completed", Json.object())));
        second.publishAndWait("restart-b", List.of(EventDraft.of("run.failed", Json.object().put("reason", "test"))));

        await().atMost(Duration.ofSeconds(10)).until(() -> a.endedAt == 81 && b.endedAt == 16);
        assertThat(a.seqs()).isEqualTo(oneTo(81));
        assertThat(b.seqs()).isEqualTo(oneTo(16));
        assertThat(a.events.get(59).dataNode().path("content").asText()).isEqualTo("thought 60");
        assertThat(a.resets + b.resets).isZero();
        assertThat(a.replies).hasSizeGreaterThanOrEqualTo(2).allMatch(SubscribeReply::recovered);
        assertThat(states).extracting(StateChange::state).contains(ConnectionState.RECONNECTING, ConnectionState.OPEN);
        assertThat(states).filteredOn(s -> s.state() == ConnectionState.RECONNECTING && s.delayMillis() > 0)
                .allMatch(s -> s.delayMillis() <= 400);
    }

    @Test
    void sqliteServer_stoppedAndRestarted_historySurvivesAndClientResumes(@TempDir Path dir) throws Exception {
        int port = freePort();
        RuncastConfig cfg = RuncastConfig.builder().port(port).store("sqlite").dataDir(dir).build();
        RuncastServer first = RuncastServer.start(cfg);
        List<StateChange> states = new CopyOnWriteArrayList<>();
        RuncastClient client = client(port, states);
        Recorder r = new Recorder();
        client.subscribe("durable", r);
        first.publishAndWait("durable", thoughts(1, 30));
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 30);
        // the run's epoch, not the first reply's: that one is null when the subscribe beat the first append
        String epoch = first.engine().info("durable").orElseThrow().epoch();

        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.RECONNECTING);
        RuncastServer second = RuncastServer.start(cfg);
        cleanup.add(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ConnectionState.OPEN);
        second.publishAndWait("durable", thoughts(31, 50));
        second.publishAndWait("durable", List.of(EventDraft.of("run.completed", Json.object())));

        await().atMost(Duration.ofSeconds(10)).until(() -> r.endedAt == 51);
        assertThat(r.seqs()).isEqualTo(oneTo(51));
        assertThat(r.resets).isZero();
        SubscribeReply resumed = r.replies.get(r.replies.size() - 1);
        assertThat(resumed.recovered()).isTrue();
        assertThat(resumed.epoch()).isEqualTo(epoch);
        assertThat(resumed.head()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void networkCut_midStream_resumesFromLastSeq() throws Exception {
        RuncastServer server = server(0, new MemoryEventStore(), Duration.ofSeconds(25));
        cleanup.add(server);
        TcpProxy proxy = new TcpProxy(server.port());
        cleanup.add(proxy);
        RuncastClient client = client(proxy.port(), new CopyOnWriteArrayList<>());
        Recorder r = new Recorder();
        client.subscribe("cut", r);
        assertThat(client.awaitOpen(Duration.ofSeconds(10))).isTrue();
        long seed = System.nanoTime();
        System.out.println("networkCut seed=" + seed);
        java.util.Random random = new java.util.Random(seed);
        int next = 1;
        for (int round = 0; round < 5; round++) {
            int n = 1 + random.nextInt(30);
            server.publishAndWait("cut", thoughts(next, next + n - 1));
            next += n;
            proxy.down(true);
            proxy.cutAll();
            int m = 1 + random.nextInt(30); // published while this client is cut off
            server.publishAndWait("cut", thoughts(next, next + m - 1));
            next += m;
            Thread.sleep(random.nextInt(200));
            proxy.down(false);
        }
        server.publishAndWait("cut", List.of(EventDraft.of("run.completed", Json.object())));
        long total = next;
        await().atMost(Duration.ofSeconds(20)).until(() -> r.endedAt == total);
        assertThat(r.seqs()).isEqualTo(oneTo(total));
    }

    @Test
    void silentNetwork_isDetectedByHeartbeatWatchdog() throws Exception {
        RuncastServer server = server(0, new MemoryEventStore(), Duration.ofSeconds(1));
        cleanup.add(server);
        TcpProxy proxy = new TcpProxy(server.port());
        cleanup.add(proxy);
        List<StateChange> states = new CopyOnWriteArrayList<>();
        RuncastClient client = client(proxy.port(), states);
        Recorder r = new Recorder();
        client.subscribe("silent", r);
        assertThat(client.awaitOpen(Duration.ofSeconds(10))).isTrue();
        server.publishAndWait("silent", thoughts(1, 3));
        await().atMost(Duration.ofSeconds(5)).until(() -> r.events.size() == 3);

        proxy.freeze(true); // sockets stay open, nothing passes: no close event will ever come
        server.publishAndWait("silent", thoughts(4, 6));
        await().atMost(Duration.ofSeconds(10)).until(() -> states.stream().anyMatch(s -> s.code() == 4001));
        proxy.freeze(false);
        proxy.cutAll();
        server.publishAndWait("silent", List.of(EventDraft.of("run.completed", Json.object())));
        await().atMost(Duration.ofSeconds(10)).until(() -> r.endedAt == 7);
        assertThat(r.seqs()).isEqualTo(oneTo(7));
    }

    @Test
    void backoff_isFullJitterUnderAGrowingCap() {
        ClientConfig cfg = ClientConfig.DEFAULTS;
        assertThat(new Backoff(cfg, () -> 0.999999).delayMillis(0)).isEqualTo(499);
        assertThat(new Backoff(cfg, () -> 0.0).delayMillis(5)).isZero();
        Backoff top = new Backoff(cfg, () -> 1.0);
        assertThat(List.of(top.capMillis(0), top.capMillis(1), top.capMillis(2), top.capMillis(6), top.capMillis(30)))
                .containsExactly(500L, 1000L, 2000L, 30000L, 30000L);
        assertThat(cfg.maxAttempts()).isEqualTo(ClientConfig.UNLIMITED);
        assertThat(cfg.toString()).contains("unlimited");
    }
}
