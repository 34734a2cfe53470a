package io.runcast.llm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link LlmCall}: its attempts, their watchdog, the waits between them, and the single way it ends
 * ({@link #end}), which closes whatever the current attempt holds. Closing is how every stop reaches the server:
 * before the response headers the send is cancelled, after them the body stream is closed, and in both cases the
 * JDK client closes the HTTP/1.1 connection under it ({@link BodyStream#close()}).
 */
final class StreamingCall implements LlmCall {
    private static final Logger log = LoggerFactory.getLogger(StreamingCall.class);
    private static final int READ_BUFFER = 8192;
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_LINE = 16 * 1024 * 1024;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LlmClient client;
    private final LlmConfig config;
    private final HttpRequest request;
    private final LlmListener listener;
    private final CompletableFuture<Completion> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();

    private final Object lock = new Object();
    private boolean finished;
    private int attempt;
    /** The attempt the watchdog watches; 0 while none is live (before the first, between two). */
    private int watching;
    private CompletableFuture<?> sending;
    private BodyStream body;
    private ScheduledFuture<?> timer;

    private volatile long attemptStartNanos;
    private volatile long lastChunkNanos;
    private volatile int chunks;
    private volatile boolean tokenSeen;
    private volatile long timeToFirstTokenNanos;

    StreamingCall(LlmClient client, HttpRequest request, LlmListener listener) {
        this.client = client;
        this.config = client.config();
        this.request = request;
        this.listener = listener;
        result.whenComplete((c, e) -> {
            if (result.isCancelled()) end(null, new LlmException(LlmException.Kind.CANCELLED, "the call's future was cancelled"));
        });
    }

    @Override
    public CompletableFuture<Completion> result() {
        return result;
    }

    @Override
    public void cancel() {
        end(null, new LlmException(LlmException.Kind.CANCELLED, "the call was cancelled"));
    }

    void abort(LlmException why) {
        end(null, why);
    }

    void startAttempt() {
        int n;
        synchronized (lock) {
            if (finished) return;
            n = ++attempt;
            watching = n;
            chunks = 0;
        }
        attemptStartNanos = System.nanoTime();
        CompletableFuture<HttpResponse<BodyStream>> send;
        try {
            send = client.http().sendAsync(request, info -> new BodyStream());
        } catch (RuntimeException e) {
            end(null, new LlmException(LlmException.Kind.CONNECT_FAILED, "could not send to " + where() + ": " + e, e));
            return;
        }
        synchronized (lock) {
            if (finished) {
                send.cancel(true);
                return;
            }
            sending = send;
            rearm(n, config.firstTokenTimeout().toNanos());
        }
        send.whenCompleteAsync((response, error) -> onResponse(n, response, error), client.executor());
    }

    private void onResponse(int n, HttpResponse<BodyStream> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CancellationException) return;
            failAttempt(n, beforeResponse(cause), null);
            return;
        }
        BodyStream in = response.body();
        synchronized (lock) {
            if (finished || n != attempt) {
                in.close();
                return;
            }
            sending = null;
            body = in;
        }
        if (response.statusCode() / 100 != 2) {
            String text = readError(in);
            in.close();
            LlmException failure = LlmException.httpStatus(response.statusCode(), ErrorBody.message(text), where());
            failAttempt(n, failure, RetryPolicy.retryAfter(response.headers(), Instant.now()));
            return;
        }
        read(n, in);
    }

    /** The reading loop: the one thread a live stream holds. */
    private void read(int n, BodyStream in) {
        ChunkAssembler assembler = new ChunkAssembler(new Guarded(n));
        SseDecoder decoder = new SseDecoder((type, data) -> {
            lastChunkNanos = System.nanoTime();
            chunks++;
            return assembler.event(type, data);
        }, MAX_LINE);
        byte[] bytes = new byte[READ_BUFFER];
        IOException broken = null;
        try {
            ByteBuffer buffer;
            reading:
            while ((buffer = in.next()) != null) {
                while (buffer.hasRemaining()) {
                    int count = Math.min(bytes.length, buffer.remaining());
                    buffer.get(bytes, 0, count);
                    if (!decoder.feed(bytes, 0, count) || isFinished()) break reading;
                }
            }
        } catch (IOException e) {
            broken = e;
        } catch (RuntimeException | Error e) {
            // a malformed or error chunk (LlmException), or whatever a listener callback threw
            end(null, e);
            return;
        }
        if (isFinished()) return;
        String undispatched = decoder.undispatched();
        boolean doneWithoutBlankLine = broken == null && undispatched != null && undispatched.strip().equals("[DONE]");
        if (assembler.done() || assembler.finishReason() != null || doneWithoutBlankLine) {
            if (assembler.done() && broken == null) {
                // the body's end follows [DONE] at once; waiting a moment for it returns the connection to the pool.
                // The turn is whole, so no timeout may fail it now; cancel() still ends the wait.
                synchronized (lock) {
                    watching = 0;
                }
                in.awaitEnd(DRAIN_NANOS);
            }
            Duration ttft = tokenSeen ? Duration.ofNanos(timeToFirstTokenNanos) : null;
            end(assembler.completion(ttft, n), null);
        } else if (broken != null) {
            end(null, new LlmException(LlmException.Kind.STREAM_BROKEN, "the stream from " + where() + " broke after " + chunks
                    + " chunks" + (decoder.midEvent() ? ", in the middle of a chunk" : "") + ", before [DONE]: " + broken.getMessage(), broken));
        } else {
            end(null, new LlmException(LlmException.Kind.STREAM_BROKEN, "the stream from " + where() + " ended after " + chunks
                    + " chunks" + (decoder.midEvent() ? ", in the middle of a chunk" : "") + ", without [DONE] or a finish_reason"));
        }
    }

    private void failAttempt(int n, LlmException failure, Duration retryAfter) {
        synchronized (lock) {
            if (finished || n != attempt) return;
            watching = 0;
        }
        if (!failure.retryable() || n > config.maxRetries() || tokenSeen) {
            end(null, failure.afterAttempts(n));
            return;
        }
        Duration wait = client.retryPolicy().wait(n, retryAfter);
        log.debug("retrying {} in {}ms after: {}", where(), wait.toMillis(), failure.getMessage());
        try {
            listener.onRetry(new RetryNotice(n, config.maxRetries(), failure, wait));
        } catch (RuntimeException e) {
            end(null, e);
            return;
        }
        ScheduledFuture<?> old;
        synchronized (lock) {
            if (finished) return;
            sending = null;
            body = null;
            old = timer;
            timer = client.schedule(this::startAttempt, wait.toNanos());
        }
        if (old != null) old.cancel(false);
    }

    /** Fires at the current deadline of attempt {@code n}: the first token's, then the idle one's. */
    private void watchdog(int n) {
        long now = System.nanoTime();
        synchronized (lock) {
            if (finished || watching != n) return;
        }
        LlmException timeout = null;
        long remaining;
        if (!tokenSeen) {
            remaining = attemptStartNanos + config.firstTokenTimeout().toNanos() - now;
            if (remaining <= 0) {
                boolean headers;
                synchronized (lock) {
                    headers = body != null;
                }
                timeout = new LlmException(LlmException.Kind.FIRST_TOKEN_TIMEOUT, "no token from " + where() + " within "
                        + config.firstTokenTimeout().toMillis() + "ms of sending the request (" + (headers
                        ? "the response had begun, " + chunks + " chunks without a token)" : "no response headers either)"));
            }
        } else {
            remaining = lastChunkNanos + config.idleTimeout().toNanos() - now;
            if (remaining <= 0) {
                timeout = new LlmException(LlmException.Kind.IDLE_TIMEOUT, "the stream from " + where() + " stalled: no chunk for "
                        + config.idleTimeout().toMillis() + "ms after " + chunks + " chunks");
            }
        }
        if (timeout != null) {
            end(null, timeout);
            return;
        }
        synchronized (lock) {
            if (!finished && watching == n) rearm(n, remaining);
        }
    }

    /** Call holding the lock. */
    private void rearm(int n, long nanos) {
        ScheduledFuture<?> old = timer;
        timer = client.schedule(() -> watchdog(n), nanos);
        if (old != null) old.cancel(false);
    }

    private void firstToken(int n) {
        if (tokenSeen) return;
        long now = System.nanoTime();
        timeToFirstTokenNanos = now - startNanos;
        lastChunkNanos = now;
        tokenSeen = true;
        synchronized (lock) {
            if (!finished && watching == n) rearm(n, config.idleTimeout().toNanos());
        }
    }

    /** The one way a call ends: first caller wins, the attempt's connection is closed, the future completed. */
    private void end(Completion completion, Throwable failure) {
        CompletableFuture<?> send;
        BodyStream in;
        ScheduledFuture<?> t;
        synchronized (lock) {
            if (finished) return;
            finished = true;
            watching = 0;
            send = sending;
            in = body;
            t = timer;
            sending = null;
            body = null;
            timer = null;
        }
        if (t != null) t.cancel(false);
        if (send != null) send.cancel(true);
        if (in != null) in.close();
        client.forget(this);
        if (failure != null) {
            log.debug("{} failed: {}", where(), failure.getMessage());
            result.completeExceptionally(failure);
        } else {
            result.complete(completion);
        }
    }

    private boolean isFinished() {
        synchronized (lock) {
            return finished;
        }
    }

    private LlmException beforeResponse(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new LlmException(LlmException.Kind.CONNECT_TIMEOUT, "could not connect to " + where() + " within "
                    + config.connectTimeout().toMillis() + "ms", cause);
        }
        if (cause instanceof ConnectException) {
            return new LlmException(LlmException.Kind.CONNECT_FAILED, "could not connect to " + where() + ": " + describe(cause), cause);
        }
        return new LlmException(LlmException.Kind.STREAM_BROKEN, "the connection to " + where() + " ended before a response: "
                + describe(cause), cause);
    }

    private String readError(BodyStream in) {
        try {
            return new String(in.readUpTo(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private String where() {
        return "POST " + config.endpoint();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null && t.getCause() != null) message = t.getCause().toString();
        return message == null ? t.getClass().getSimpleName() : message;
    }

    /** Passes deltas on only while the call is live, and notes the first token. */
    private final class Guarded implements LlmListener {
        private final int n;

        Guarded(int n) {
            this.n = n;
        }

        @Override
        public void onContent(String delta) {
            firstToken(n);
            if (!isFinished()) listener.onContent(delta);
        }

        @Override
        public void onReasoning(String delta) {
            firstToken(n);
            if (!isFinished()) listener.onReasoning(delta);
        }

        @Override
        public void onToolCallStart(int index, String id, String name) {
            firstToken(n);
            if (!isFinished()) listener.onToolCallStart(index, id, name);
        }
    }
}
