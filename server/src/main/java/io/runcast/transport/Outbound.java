package io.runcast.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.runcast.protocol.CloseCode;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One connection's outbound queue, fed from any thread, drained on the channel's event loop.
 *
 * <p>Why a queue of our own rather than {@code channel.writeAndFlush} per message: a drain writes
 * everything waiting and flushes once, so a connection with several events waiting gets them in one
 * gathering write; and the byte count lets a connection that cannot keep up be cut off (close code
 * 4000, "resume from history") before it grows the server's memory — the other connections never wait
 * for it. Payloads are shared, never copied per connection: the same bytes go to every subscriber.
 *
 * <p>Demand: {@link #ready} tells a history replay whether to send more, and calls it back when the
 * connection has drained — driven by Netty's writability (the channel's write-buffer water marks) and
 * this queue's byte count, never by polling. For that the constructor adds a small handler at the end
 * of the channel's pipeline that hears {@code channelWritabilityChanged}, and lowers the channel's
 * high-water mark to half the limit when it is higher, so that a replay which fills the socket buffer
 * up to that mark can never be cut off for it.
 */
public final class Outbound {
    private final Channel channel;
    private final long limitBytes;
    private final Function<byte[], Object> wrap;
    private final BiFunction<CloseCode, String, Object> farewell;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private final long highWater;
    private final Runnable drainTask = this::drain;

    /**
     * @param wrap     turns a payload into the message written to the pipeline (a WebSocket text
     *                 frame, or a chunk of an HTTP response for SSE)
     * @param farewell the last message written before the channel is closed with a code
     */
    public Outbound(Channel channel, long limitBytes, Function<byte[], Object> wrap, BiFunction<CloseCode, String, Object> farewell) {
        this.channel = channel;
        this.limitBytes = limitBytes;
        this.wrap = wrap;
        this.farewell = farewell;
        WriteBufferWaterMark mark = channel.config().getWriteBufferWaterMark();
        if (mark.high() > limitBytes / 2) {
            int high = (int) Math.min(Integer.MAX_VALUE, limitBytes / 2);
            mark = new WriteBufferWaterMark(Math.min(mark.low(), high / 2), high);
            channel.config().setWriteBufferWaterMark(mark);
        }
        this.highWater = mark.high();
        channel.pipeline().addLast(new WritabilityWatch());
    }

    /** For WebSocket connections: each payload is one text frame; closing sends a close frame with the code. */
    public static Outbound webSocket(Channel channel, long limitBytes) {
        return new Outbound(channel, limitBytes, bytes -> new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)),
                (code, reason) -> new CloseWebSocketFrame(code.code(), reason));
    }

    public void send(String text) {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Queues a payload; never blocks. Over the limit, the connection is closed as too slow instead. */
    public void send(byte[] payload) {
        if (closing.get()) return;
        long pending = queuedBytes.addAndGet(payload.length) + socketPending();
        if (pending > limitBytes) {
            queuedBytes.addAndGet(-payload.length);
            tooSlow();
            return;
        }
        queue.add(payload);
        if (scheduled.compareAndSet(false, true)) channel.eventLoop().execute(drainTask);
    }

    /** Bytes waiting here and in the socket's outbound buffer. */
    public long pendingBytes() {
        return queuedBytes.get() + socketPending();
    }

    /**
     * Demand, for sending history: true when the connection can take more now (open, writable in
     * Netty's terms, and no more than the high-water mark waiting here and in the socket buffer).
     * Otherwise false, and {@code onReady} runs once on the channel's event loop when the connection
     * has drained — after a drain of this queue or when the channel turns writable again. It never runs
     * once the connection is closing. Any thread; never blocks.
     */
    public boolean ready(Runnable onReady) {
        if (hasRoom()) return true;
        waiters.add(onReady);
        // the drain may have happened between the check and the add: then take the callback back
        return hasRoom() && waiters.remove(onReady);
    }

    public boolean isClosing() {
        return closing.get();
    }

    /** Drops everything queued and closes the WebSocket with the slow-consumer code. */
    public void tooSlow() {
        close(CloseCode.SLOW_CONSUMER, CloseCode.SLOW_CONSUMER.reason());
    }

    /**
     * Closes with a code, after whatever is already queued when {@code code} is not the slow-consumer
     * code (so error frames explaining the close still arrive), at once otherwise.
     */
    public void close(CloseCode code, String reason) {
        if (!closing.compareAndSet(false, true)) return;
        waiters.clear();
        channel.eventLoop().execute(() -> {
            if (code == CloseCode.SLOW_CONSUMER) {
                queue.clear();
                queuedBytes.set(0);
            } else {
                drainNow();
            }
            channel.writeAndFlush(farewell.apply(code, reason)).addListener(ChannelFutureListener.CLOSE);
            // a client that does not read will never let the close frame out; do not wait on it forever
            channel.eventLoop().schedule(() -> { channel.close(); }, 2, TimeUnit.SECONDS);
        });
    }

    private void drain() {
        scheduled.set(false);
        if (closing.get()) return;
        drainNow();
        wakeWaiters();
    }

    private boolean hasRoom() {
        return !closing.get() && channel.isActive() && channel.isWritable() && pendingBytes() <= highWater;
    }

    /**
     * On the event loop. When this finds no room, a later call is certain: either bytes are queued
     * here (a drain is scheduled) or more than the high-water mark sits in the socket buffer, which
     * made the channel unwritable, and it reports turning writable again.
     */
    private void wakeWaiters() {
        if (waiters.isEmpty() || !hasRoom()) return;
        for (Runnable r; (r = waiters.poll()) != null; ) r.run();
    }

    private void drainNow() {
        byte[] next;
        int written = 0;
        while ((next = queue.poll()) != null) {
            queuedBytes.addAndGet(-next.length);
            channel.write(wrap.apply(next), channel.voidPromise());
            written++;
        }
        if (written > 0) channel.flush();
    }

    private long socketPending() {
        ChannelOutboundBuffer buf = channel.unsafe().outboundBuffer();
        return buf == null ? 0 : buf.totalPendingWriteBytes();
    }

    /** Hears the channel turning writable again (the socket buffer fell below the low-water mark). */
    private final class WritabilityWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            wakeWaiters();
            ctx.fireChannelWritabilityChanged();
        }
    }
}
