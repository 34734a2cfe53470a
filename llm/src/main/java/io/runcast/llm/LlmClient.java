package io.runcast.llm;

import io.runcast.event.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * A streaming client for one OpenAI-compatible chat-completions endpoint ({@link LlmConfig}). Thread-safe; make one
 * per endpoint and share it: each call costs one HTTP/1.1 connection and, while its stream is live, one reading
 * thread. Timers (timeouts, retry waits) share one timer thread, which exits while the client is idle.
 *
 * <p>HTTP/1.1 is pinned rather than negotiated: every compatible server speaks it, a plain-http server is not
 * surprised by an {@code Upgrade: h2c} offer, and cancelling a call then closes its own TCP connection, which is
 * what the servers watch to stop generating.
 */
public final class LlmClient implements AutoCloseable {
    private static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(10);

    private final LlmConfig config;
    private final RetryPolicy retryPolicy;
    private final ThreadPoolExecutor executor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final HttpClient http;
    private final Set<StreamingCall> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public LlmClient(LlmConfig config) {
        this(config, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With the jitter's source of randomness in [0, 1) given, for tests. */
    LlmClient(LlmConfig config, DoubleSupplier random) {
        this.config = Objects.requireNonNull(config, "config");
        this.retryPolicy = new RetryPolicy(config, random);
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), daemons("runcast-llm-io-"));
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemons("runcast-llm-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(IDLE_THREAD_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.allowCoreThreadTimeOut(true);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    public LlmConfig config() {
        return config;
    }

    /**
     * Sends {@code request} and streams the answer to {@code listener} (see {@link LlmListener} for order and
     * threading). Returns at once; the outcome is {@link LlmCall#result()}. Failures that happen before anything
     * streamed and are {@link LlmException#retryable() retryable} are retried up to {@link LlmConfig#maxRetries()}
     * times, each announced by {@link LlmListener#onRetry}; once a token has arrived, a failure is final.
     *
     * @throws IllegalStateException if the client is closed
     */
    public LlmCall stream(ChatRequest request, LlmListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        if (closed) throw new IllegalStateException("the LLM client is closed");
        HttpRequest.Builder builder = HttpRequest.newBuilder(config.endpoint())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("User-Agent", "runcast-llm")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(request.body(config)).getBytes(StandardCharsets.UTF_8)));
        if (config.apiKey() != null) builder.header("Authorization", "Bearer " + config.apiKey());
        StreamingCall call = new StreamingCall(this, builder.build(), listener);
        live.add(call);
        if (closed) call.abort(closedException());
        else call.startAttempt();
        return call;
    }

    /**
     * Cancels every live call ({@link LlmException.Kind#CANCELLED}, connections closed) and stops the client's
     * threads. On Java 21 and later the JDK HTTP client is closed too; on 17 its selector thread ends once the client
     * is garbage.
     */
    @Override
    public void close() {
        closed = true;
        for (StreamingCall call : live) call.abort(closedException());
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // every exchange was already cancelled
            }
        }
        scheduler.shutdownNow();
        executor.shutdown();
    }

    HttpClient http() {
        return http;
    }

    ExecutorService executor() {
        return executor;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** Null once the client is closed: {@link #close()} has then ended every call that could ask. */
    ScheduledFuture<?> schedule(Runnable task, long nanos) {
        try {
            return scheduler.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            return null;
        }
    }

    void forget(StreamingCall call) {
        live.remove(call);
    }

    private static LlmException closedException() {
        return new LlmException(LlmException.Kind.CANCELLED, "the LLM client was closed");
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
