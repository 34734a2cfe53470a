package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.CloseCode;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.protocol.ServerLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Runcast WebSocket client with the same semantics as the browser client: it reconnects with
 * exponential backoff and full jitter ({@link ClientConfig}), resumes every run from its last seq and
 * epoch, and delivers each event exactly once in seq order per run. Close codes 4000–4499 (and
 * 1001/1006/1011/1012/1013) are followed by a reconnect; 4500+ close it for good
 * ({@link CloseCode#shouldReconnect}).
 *
 * <pre>{@code
 * try (RuncastClient client = RuncastClient.connect(URI.create("ws://localhost:8000/ws"))) {
 *     client.subscribe("run-1", event -> System.out.println(event.seq() + " " + event.type()));
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: listener callbacks run on the socket's thread, one run's never concurrently. One
 * client holds at most one subscription per run. Requests (decide, publish, …) made while
 * disconnected wait for the next connection; those in flight when it drops fail with
 * {@code UNAVAILABLE}, because they may or may not have happened.
 */
public final class RuncastClient implements AutoCloseable {
    static final Logger log = LoggerFactory.getLogger(RuncastClient.class);

    private final URI uri;
    private final ClientConfig config;
    private final Backoff backoff;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Map<String, ClientSubscription> subs = new ConcurrentHashMap<>();
    /** Request ids of subscribe frames, so that an error answer can be matched to its run. */
    private final Map<Long, String> subscribeIds = new ConcurrentHashMap<>();
    private final List<Consumer<StateChange>> stateListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private ConnectionState state = ConnectionState.CONNECTING; // guarded by lock
    private Connection conn;                                   // guarded by lock
    private int attempt;                                       // guarded by lock
    private volatile String connectionId;
    private volatile int heartbeatSeconds;
    private volatile ServerLimits limits;

    private final Requests requests;

    private RuncastClient(URI uri, ClientConfig config) {
        this.uri = uri;
        this.config = config;
        this.backoff = new Backoff(config, () -> ThreadLocalRandom.current().nextDouble());
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runcast-client-timer");
            t.setDaemon(true);
            return t;
        });
        this.requests = new Requests(timer, config.requestTimeout());
    }

    /** Connects with the default config. Returns at once; the connection opens in the background. */
    public static RuncastClient connect(URI uri) {
        return connect(uri, ClientConfig.DEFAULTS, null);
    }

    /** Connects; {@code onState} (may be null) hears every state change, starting with CONNECTING. */
    public static RuncastClient connect(URI uri, ClientConfig config, Consumer<StateChange> onState) {
        RuncastClient c = new RuncastClient(uri, config);
        if (onState != null) c.stateListeners.add(onState);
        c.open();
        return c;
    }

    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The server's id of the current connection, or null before the first. */
    public String connectionId() {
        return connectionId;
    }

    /**
     * The input limits the server stated in its latest {@code connected} frame, or null before the first
     * connection and with a server that states none. {@link #publish} refuses what exceeds them locally.
     */
    public ServerLimits limits() {
        return limits;
    }

    public void onState(Consumer<StateChange> listener) {
        stateListeners.add(listener);
    }

    /** Waits until the connection is open; false on timeout or when the client closed. */
    public boolean awaitOpen(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ConnectionState s = state();
            if (s == ConnectionState.OPEN) return true;
            if (s == ConnectionState.CLOSED) return false;
            Thread.sleep(10);
        }
        return false;
    }

    // ---- subscriptions ----

    public ClientSubscription subscribe(String run, RunListener listener) {
        return subscribe(run, SubscribeOptions.ALL, listener);
    }

    /** Follows a run. Throws {@code ALREADY_SUBSCRIBED} if this client already follows it. */
    public ClientSubscription subscribe(String run, SubscribeOptions options, RunListener listener) {
        ClientSubscription sub = new ClientSubscription(this, run, options, listener);
        if (subs.putIfAbsent(run, sub) != null) {
            throw new RuncastException(ErrorCode.ALREADY_SUBSCRIBED, "this client already follows " + run);
        }
        Connection c = openConnection();
        if (c != null) sendSubscribe(c, sub);
        return sub;
    }

    /**
     * A run's events as a {@link Flow.Publisher}: each Flow subscriber gets its own subscription of the
     * run (so at most one at a time per client); it completes after the terminal event, and fails if
     * the subscription is refused. Backpressure reaches the socket: a subscriber that stops requesting
     * eventually stalls this client's reads, and the server cuts it off with a close code that makes
     * it reconnect and resume.
     */
    public Flow.Publisher<Event> events(String run, SubscribeOptions options) {
        return new RunPublisher(this, run, options);
    }

    public Flow.Publisher<Event> events(String run) {
        return events(run, SubscribeOptions.ALL);
    }

    void unsubscribe(ClientSubscription sub) {
        if (!subs.remove(sub.run(), sub)) return;
        boolean wasDone = sub.done();
        sub.markDone();
        Connection c = openConnection();
        if (c != null && !wasDone) c.send(Json.write(Json.object().put("op", "unsubscribe").put("run", sub.run())));
    }

    private void sendSubscribe(Connection c, ClientSubscription sub) {
        sub.resubscribing();
        long id = ids.incrementAndGet();
        subscribeIds.put(id, sub.run());
        c.send(Json.write(Wire.subscribe(id, sub)));
    }

    // ---- requests ----

    /** Answers a pending decision; completes with the seq of {@code decision.resolved}. */
    public CompletableFuture<Long> decide(String run, String decision, Object choice) {
        ObjectNode f = Json.object().put("op", "decide").put("run", run).put("decision", decision);
        f.set("choice", Json.MAPPER.valueToTree(choice));
        return request(f).thenApply(r -> r.path("seq").asLong());
    }

    public CompletableFuture<Long> cancel(String run, String reason) {
        ObjectNode f = Json.object().put("op", "cancel").put("run", run);
        if (reason != null) f.put("reason", reason);
        return request(f).thenApply(r -> r.path("seq").asLong());
    }

    public CompletableFuture<Long> pause(String run) {
        return request(Json.object().put("op", "pause").put("run", run)).thenApply(r -> r.path("seq").asLong());
    }

    public CompletableFuture<Long> resume(String run) {
        return request(Json.object().put("op", "resume").put("run", run)).thenApply(r -> r.path("seq").asLong());
    }

    /**
     * Publishes events to a run (one frame, all or nothing); completes with what the server recorded.
     * A publish the server's stated {@link #limits()} would refuse — more than {@code max_batch} events, a
     * frame over {@code max_frame_bytes}, an event's data over {@code max_event_bytes} — fails at once with
     * {@code TOO_LARGE} (a name too long: {@code BAD_REQUEST}) and nothing is sent.
     */
    public CompletableFuture<List<Accepted>> publish(String run, EventDraft... drafts) {
        ObjectNode f = Json.object().put("op", "publish").put("run", run);
        long id = ids.incrementAndGet();
        try {
            f.set("events", Wire.drafts(drafts));
            f.put("id", id);
            Wire.checkPublish(limits, f, drafts);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
        return requests.start(id, f, openConnection()).thenApply(Wire::accepted);
    }

    private CompletableFuture<JsonNode> request(ObjectNode frame) {
        long id = ids.incrementAndGet();
        frame.put("id", id);
        return requests.start(id, frame, openConnection());
    }

    // ---- frames ----

    void onFrame(Connection c, String text) {
        synchronized (lock) {
            if (c != conn) return; // a replaced connection
        }
        JsonNode f;
        try {
            f = Json.parse(text);
        } catch (IllegalArgumentException e) {
            log.warn("runcast client: ignoring malformed frame");
            return;
        }
        String op = f.path("op").asText();
        switch (op) {
            case "connected" -> onConnected(c, f);
            case "event" -> {
                ClientSubscription sub = subs.get(f.path("run").asText());
                if (sub != null) sub.deliver(Wire.event(f));
            }
            case "subscribed" -> {
                ClientSubscription sub = subs.get(f.path("run").asText());
                subscribeIds.remove(f.path("id").asLong());
                if (sub != null) {
                    sub.subscribed(Wire.subscribed(f));
                }
                complete(f);
            }
            case "end" -> {
                String run = f.path("run").asText();
                ClientSubscription sub = subs.get(run);
                if (sub != null && sub.end(f.path("seq").asLong())) subs.remove(run, sub);
            }
            case "error" -> onError(f);
            case "pong" -> { }
            default -> complete(f);
        }
    }

    private void onConnected(Connection c, JsonNode f) {
        synchronized (lock) {
            if (c != conn || state == ConnectionState.CLOSED) return;
            c.open = true;
            c.cancelTimers();
            attempt = 0;
            state = ConnectionState.OPEN;
        }
        connectionId = f.path("connection").asText(null);
        heartbeatSeconds = f.path("heartbeat").asInt(0);
        limits = ServerLimits.fromJson(f.get("limits"));
        startHeartbeat(c);
        notifyState(new StateChange(ConnectionState.OPEN, 0, 0, 0, null));
        for (ClientSubscription sub : subs.values()) if (!sub.done()) sendSubscribe(c, sub);
        requests.sendUnsent(c);
    }

    private void startHeartbeat(Connection c) {
        int hb = heartbeatSeconds;
        if (hb <= 0) return;
        long periodMs = hb * 1000L;
        long silenceNs = (long) (periodMs * config.heartbeatFactor()) * 1_000_000L;
        c.ping = timer.scheduleAtFixedRate(() -> c.send("{\"op\":\"ping\"}"), periodMs, periodMs, TimeUnit.MILLISECONDS);
        c.watchdog = timer.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - c.lastHeard > silenceNs) {
                c.abort();
                dropped(c, CloseCode.IDLE_TIMEOUT.code(), "no frame from the server for " + (silenceNs / 1_000_000) + " ms");
            }
        }, Math.max(250, periodMs / 2), Math.max(250, periodMs / 2), TimeUnit.MILLISECONDS);
    }

    private void onError(JsonNode f) {
        RuncastException err = new RuncastException(ErrorCode.fromWire(f.path("code").asText()), f.path("message").asText());
        if (f.has("id") && requests.fail(f.path("id").asLong(), err)) return;
        String run = f.has("id") ? subscribeIds.remove(f.path("id").asLong()) : null;
        if (run == null) run = f.path("run").asText(null);
        ClientSubscription sub = run == null ? null : subs.get(run);
        if (sub != null && err.code() != ErrorCode.ALREADY_SUBSCRIBED) {
            subs.remove(run, sub);
            sub.fail(err);
        } else {
            log.debug("runcast client: server error {}: {}", err.code().wire(), err.getMessage());
        }
    }

    private void complete(JsonNode f) {
        if (f.has("id")) requests.answer(f.path("id").asLong(), f);
    }

    // ---- connection lifecycle ----

    /** The open connection, or null while (re)connecting. */
    private Connection openConnection() {
        synchronized (lock) {
            return conn != null && conn.open ? conn : null;
        }
    }

    private void open() {
        Connection c = new Connection(this);
        StateChange change;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) return;
            conn = c;
            change = new StateChange(state == ConnectionState.OPEN ? ConnectionState.RECONNECTING : state, attempt, 0, 0, null);
            c.connectTimer = timer.schedule(() -> {
                c.abort();
                dropped(c, CloseCode.HANDSHAKE_TIMEOUT.code(), "not connected within " + config.connectTimeout());
            }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        notifyState(change);
        http.newWebSocketBuilder().connectTimeout(config.connectTimeout()).buildAsync(uri, c).whenComplete((ws, err) -> {
            if (err != null) dropped(c, 1006, "connect failed: " + rootMessage(err));
        });
    }

    /** A connection ended (closed, failed, timed out). Decides between reconnecting and giving up. */
    void dropped(Connection c, int code, String reason) {
        StateChange change;
        synchronized (lock) {
            if (c != conn) return;
            conn = null;
            c.cancelTimers();
            if (state == ConnectionState.CLOSED) return;
            if (!CloseCode.shouldReconnect(code)) {
                state = ConnectionState.CLOSED;
                change = new StateChange(ConnectionState.CLOSED, attempt, 0, code, reason);
            } else if (attempt >= config.maxAttempts()) {
                state = ConnectionState.CLOSED;
                change = new StateChange(ConnectionState.CLOSED, attempt, 0, code, "gave up after " + attempt + " attempts: " + reason);
            } else {
                long delay = backoff.delayMillis(attempt);
                attempt++;
                state = ConnectionState.RECONNECTING;
                change = new StateChange(ConnectionState.RECONNECTING, attempt, delay, code, reason);
                timer.schedule(this::open, delay, TimeUnit.MILLISECONDS);
            }
        }
        requests.connectionLost();
        notifyState(change);
        if (change.state() == ConnectionState.CLOSED) failAll("connection closed: " + code + " " + reason);
    }

    private void failAll(String why) {
        RuncastException err = new RuncastException(ErrorCode.UNAVAILABLE, why);
        for (ClientSubscription sub : subs.values()) sub.fail(err);
        subs.clear();
        requests.failAll(err);
    }

    private void notifyState(StateChange change) {
        for (Consumer<StateChange> l : stateListeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                log.warn("runcast client: state listener failed", e);
            }
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.toString();
    }

    /** Closes for good: no reconnect; open subscriptions and requests fail with UNAVAILABLE. */
    @Override
    public void close() {
        Connection c;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED) return;
            state = ConnectionState.CLOSED;
            c = conn;
            conn = null;
        }
        if (c != null) {
            c.cancelTimers();
            java.net.http.WebSocket ws = c.ws;
            if (ws != null) {
                ws.sendClose(CloseCode.NORMAL.code(), "client closed").orTimeout(1, TimeUnit.SECONDS)
                        .whenComplete((x, err) -> ws.abort());
            }
        }
        notifyState(new StateChange(ConnectionState.CLOSED, 0, 0, CloseCode.NORMAL.code(), "closed by client"));
        for (ClientSubscription sub : subs.values()) sub.markDone();
        subs.clear();
        failAll("client closed");
        timer.shutdownNow();
    }
}
