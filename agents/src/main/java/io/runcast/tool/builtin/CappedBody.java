package io.runcast.tool.builtin;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a number of bytes, then cancels the rest of the download, so a huge
 * or endless body costs at most {@code max} bytes. Callbacks come one at a time (the Flow contract).
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Bytes> {
    /** The bytes read and whether the body went on past them. */
    record Bytes(byte[] bytes, boolean truncated) {}

    private final int max;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedBody(int max) {
        this.max = max;
    }

    @Override
    public CompletionStage<Bytes> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int n = Math.min(max - buf.size(), b.remaining());
            byte[] chunk = new byte[n];
            b.get(chunk);
            buf.write(chunk, 0, n);
            if (b.hasRemaining()) {
                subscription.cancel();
                result.complete(new Bytes(buf.toByteArray(), true));
                return;
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(new Bytes(buf.toByteArray(), false));
    }
}
