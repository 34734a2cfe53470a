package io.runcast.seeds.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.runcast.event.Json;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Sink;
import io.runcast.hub.Subscribed;
import io.runcast.hub.Subscription;
import io.runcast.protocol.CloseCode;
import io.runcast.protocol.RuncastException;
import io.runcast.transport.Outbound;
import io.runcast.transport.Services;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The common part of a seed format's WebSocket: JSON text frames in, JSON frames out through one
 * {@link Outbound} queue (so replies and events keep their order and a slow client is cut off, never
 * buffered without bound), subscriptions to runs through the hub — at most one per run per connection,
 * so a client that subscribes twice still gets each event once — registration with the server's
 * connections under the format's name, and an optional application-level heartbeat.
 *
 * <p>A format implements {@link #opened}, {@link #message} and the event mapping
 * ({@link #event(Subscription, EncodedEvent)}); frames a format sends for an event should come from a
 * {@link io.runcast.hub.WireFormat} constant so that each event is encoded once per format.
 * Inbound work runs on the channel's event loop; the {@link Sink} methods run on hub threads.
 */
public abstract class JsonSocket extends SimpleChannelInboundHandler<WebSocketFrame> implements Sink {
    protected final Services services;
    protected final String id;
    private final String transport;
    private final Map<String, Subscription> subs = new ConcurrentHashMap<>();
    protected Outbound out;
    protected Channel channel;
    private ScheduledFuture<?> heartbeat;

    /**
     * @param transport the format's name, shown as this connection's transport ({@code "seed-001"})
     */
    protected JsonSocket(Services services, String id, String transport) {
        super(false);
        this.services = services;
        this.id = id;
        this.transport = transport;
    }

    /** The connection is open: send the format's greeting, subscribe at once if the URL says so. */
    protected abstract void opened();

    /** One JSON frame from the client (anything that is not JSON is answered by {@link #badFrame}). */
    protected abstract void message(JsonNode frame);

    /** A text frame that is not JSON; the default ignores it. */
    protected void badFrame(String text) {
    }

    /** The connection closed; subscriptions are already cancelled. */
    protected void closed() {
    }

    // ---- for subclasses ---------------------------------------------------------------------

    /** Sends one frame (a Jackson node, a record or a String of JSON). Any thread. */
    protected void send(Object frame) {
        out.send(frame instanceof String s ? s : Json.write(frame));
    }

    /** Sends pre-encoded bytes (from a {@link io.runcast.hub.WireFormat}). Any thread. */
    protected void send(byte[] frame) {
        out.send(frame);
    }

    /**
     * Subscribes this connection to a run, from its first retained event ({@code since} null) or after
     * {@code since}; a null filter passes every type. Returns false, doing nothing, when already
     * subscribed to it.
     */
    protected boolean subscribe(String run, Long since, TypeFilter filter) {
        if (subs.containsKey(run)) return false;
        subs.put(run, services.hub().subscribe(run, since, null, filter == null ? TypeFilter.ALL : filter, this, null));
        return true;
    }

    /** Ends this connection's subscription to a run; false when there was none. */
    protected boolean unsubscribe(String run) {
        Subscription s = subs.remove(run);
        if (s == null) return false;
        s.cancel();
        return true;
    }

    protected boolean subscribed(String run) {
        return subs.containsKey(run);
    }

    /** Sends {@code frame()} every {@code every} while the connection is open (for formats whose clients expect one). */
    protected void heartbeat(Duration every, java.util.function.Supplier<Object> frame) {
        long ms = every.toMillis();
        heartbeat = channel.eventLoop().scheduleAtFixedRate(() -> {
            if (channel.isActive() && !out.isClosing()) send(frame.get());
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Closes the connection with a code and reason (1000 for a normal end). */
    protected void close(CloseCode code, String reason) {
        out.close(code, reason);
    }

    // ---- Netty ------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        out = Outbound.webSocket(channel, services.config().outboundLimitBytes());
        services.connections().add(id, transport, String.valueOf(channel.remoteAddress()), subs.keySet(),
                code -> out.close(code, code.reason()));
        opened();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        try {
            if (frame instanceof TextWebSocketFrame text) {
                JsonNode msg;
                try {
                    msg = Json.MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(text.content()));
                } catch (Exception e) {
                    badFrame(text.content().toString(java.nio.charset.StandardCharsets.UTF_8));
                    return;
                }
                if (msg == null || msg.isMissingNode()) badFrame("");
                else message(msg);
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                ctx.writeAndFlush(close.retainedDuplicate()).addListener(f -> ctx.close());
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) heartbeat.cancel(false);
        services.connections().remove(id);
        subs.values().forEach(Subscription::cancel);
        subs.clear();
        closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    // ---- Sink defaults ----------------------------------------------------------------------

    @Override
    public void subscribed(Subscription subscription, Subscribed info) {
    }

    @Override
    public void end(Subscription subscription, long seq) {
        subs.remove(subscription.run(), subscription);
    }

    @Override
    public void failed(Subscription subscription, RuncastException error) {
        subs.remove(subscription.run(), subscription);
    }

    @Override
    public boolean ready(Runnable onReady) {
        return out.ready(onReady);
    }

    @Override
    public void tooSlow(String why) {
        out.tooSlow();
    }
}
