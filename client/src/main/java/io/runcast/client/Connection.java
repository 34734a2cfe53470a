package io.runcast.client;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * One WebSocket attempt. The client replaces it on every reconnect; callbacks from a replaced one are
 * ignored by the client (it compares identities), so a late frame of a dead socket cannot slip in.
 */
final class Connection implements WebSocket.Listener {
    private final RuncastClient client;
    private final StringBuilder partial = new StringBuilder();
    /** java.net.http allows one outstanding send at a time: sends are chained. */
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    volatile WebSocket ws;
    volatile long lastHeard = System.nanoTime();
    volatile boolean open;
    ScheduledFuture<?> connectTimer, ping, watchdog;

    Connection(RuncastClient client) {
        this.client = client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastHeard = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                client.onFrame(this, text);
            } catch (RuntimeException e) {
                RuncastClient.log.warn("runcast client: frame handling failed", e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, java.nio.ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        client.dropped(this, statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        client.dropped(this, 1006, String.valueOf(error));
    }

    /** Queues a text frame; returns false when the socket is not there. */
    synchronized boolean send(String text) {
        WebSocket w = ws;
        if (w == null || w.isOutputClosed()) return false;
        sendChain = sendChain.handle((x, err) -> null).thenCompose(x -> w.sendText(text, true));
        return true;
    }

    void cancelTimers() {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {connectTimer, ping, watchdog}) {
            if (f != null) f.cancel(false);
        }
    }

    /** Drops the socket without a closing handshake (a dead network would not answer one). */
    void abort() {
        WebSocket w = ws;
        if (w != null) w.abort();
    }
}
