package io.runcast.llm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body for one blocking reader, in the order the bytes came and then its end or its failure.
 *
 * <p>Why not {@code BodyHandlers.ofInputStream()}: once the connection fails, its stream throws at the next read
 * and drops the bytes that had arrived before the failure, so a stream cut just after a chunk would lose that
 * chunk, and whether the cut fell mid-chunk could not be told. Here a failure is a queue item like the others.
 *
 * <p>{@link #close()} cancels the subscription, which makes the JDK client close the HTTP/1.1 connection (a body
 * not read to its end cannot go back to the pool), and wakes the reader.
 */
final class BodyStream implements HttpResponse.BodySubscriber<BodyStream> {
    /** Lists of buffers the JDK may hand over before the reader asks for more. */
    private static final int WINDOW = 8;
    private static final Object END = new Object();
    private static final Object CLOSED = new Object();

    private record Failure(Throwable cause) {}

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private volatile boolean terminated;
    private Iterator<ByteBuffer> current;

    @Override
    public CompletionStage<BodyStream> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) s.cancel();
        else s.request(WINDOW);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable error) {
        terminated = true;
        queue.add(new Failure(error));
    }

    @Override
    public void onComplete() {
        terminated = true;
        queue.add(END);
    }

    /**
     * The next non-empty buffer, blocking until there is one; null at the end of the body.
     *
     * @throws IOException if the connection failed (after every byte that came before the failure) or the stream
     *                     was closed
     */
    ByteBuffer next() throws IOException {
        while (true) {
            if (closed) throw new IOException("closed");
            if (current != null && current.hasNext()) {
                ByteBuffer buffer = current.next();
                if (buffer.hasRemaining()) return buffer;
                continue;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the response");
            }
            if (item == END) return null;
            if (item == CLOSED) throw new IOException("closed");
            if (item instanceof Failure failure) {
                Throwable cause = failure.cause();
                throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            current = buffers.iterator();
            Flow.Subscription s = subscription;
            if (s != null) s.request(1);
        }
    }

    /**
     * Waits up to {@code nanos} for the end of a body whose content has all been read, discarding anything else,
     * so that the JDK client can put the connection back in its pool. Returns whether the end came.
     */
    boolean awaitEnd(long nanos) {
        long deadline = System.nanoTime() + nanos;
        try {
            while (!closed) {
                Object item = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (item == null || item == CLOSED || item instanceof Failure) return false;
                if (item == END) return true;
                Flow.Subscription s = subscription;
                if (s != null) s.request(1);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads the rest of the body, up to {@code max} bytes. */
    byte[] readUpTo(int max) throws IOException {
        byte[] out = new byte[Math.min(max, 8192)];
        int length = 0;
        ByteBuffer buffer;
        while (length < max && (buffer = next()) != null) {
            int n = Math.min(buffer.remaining(), max - length);
            if (length + n > out.length) out = Arrays.copyOf(out, Math.min(max, Math.max(out.length * 2, length + n)));
            buffer.get(out, length, n);
            length += n;
        }
        return Arrays.copyOf(out, length);
    }

    /** Stops reading: the connection is closed unless the body had already ended, and a blocked reader wakes. */
    void close() {
        if (closed) return;
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null && !terminated) s.cancel();
        queue.add(CLOSED);
    }
}
