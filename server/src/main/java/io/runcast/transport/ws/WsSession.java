package io.runcast.transport.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.runcast.event.Json;
import io.runcast.event.TypeFilter;
import io.runcast.feed.RunFeed;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Sink;
import io.runcast.hub.Subscribed;
import io.runcast.hub.Subscription;
import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.CloseCode;
import io.runcast.protocol.DraftParser;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.Frames;
import io.runcast.protocol.RuncastException;
import io.runcast.transport.Services;
import io.runcast.store.Appended;
import io.runcast.transport.Outbound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One native-protocol WebSocket connection: parses client frames, dispatches ops, and is the
 * {@link Sink} for all of the connection's subscriptions. Inbound work runs on the channel's event
 * loop; everything outbound goes through one {@link Outbound} queue so replies and events keep their
 * order.
 */
public final class WsSession extends SimpleChannelInboundHandler<WebSocketFrame> implements Sink {
    /** Bad frames tolerated per minute before the connection is closed as a protocol violation. */
    static final int MAX_ERRORS_PER_MINUTE = 100;

    private final Services services;
    private final String id;
    private final Map<String, Subscription> subs = new ConcurrentHashMap<>();
    private Outbound out;
    private ScheduledFuture<?> ticker;
    private io.netty.channel.Channel channel;
    private volatile long lastReadNanos = System.nanoTime();
    private boolean heardFirst;
    private long connectedNanos;
    private int errorsThisMinute;
    private long errorWindowStart = System.nanoTime();

    public WsSession(Services services, String id) {
        super(false);
        this.services = services;
        this.id = id;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        out = Outbound.webSocket(channel, services.config().outboundLimitBytes());
        connectedNanos = System.nanoTime();
        services.connections().add(id, "ws", String.valueOf(ctx.channel().remoteAddress()), subs.keySet(),
                code -> out.close(code, code.reason()));
        ObjectNode hello = Json.object().put("op", "connected").put("connection", id)
                .put("heartbeat", services.config().heartbeat().toSeconds()).put("version", Services.VERSION);
        ArrayNode features = hello.putArray("features");
        for (String f : List.of("resume", "epoch", "types", "publish", "idempotency", "cancel", "pause", "decide", "chat")) features.add(f);
        hello.set("limits", services.engine().limits().stated(services.config().maxFrameBytes()).toJson());
        out.send(Json.write(hello));
        schedule(ctx, Math.min(services.config().heartbeat().toNanos(), services.config().handshakeTimeout().toNanos()));
    }

    private long lastPingNanos = System.nanoTime();

    /**
     * One timer per connection, re-armed for the next moment something can be due (a ping, the idle
     * deadline, the first-message deadline) rather than ticking: idle connections cost one wake-up
     * per heartbeat, which matters with tens of thousands of them.
     */
    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        ticker = ctx.executor().schedule(() -> tick(ctx), Math.max(delayNanos, 1_000_000), TimeUnit.NANOSECONDS);
    }

    /** Heartbeat, idle timeout and first-message timeout, checked on the event loop. */
    private void tick(ChannelHandlerContext ctx) {
        if (out.isClosing() || !ctx.channel().isActive()) return;
        long now = System.nanoTime();
        var cfg = services.config();
        long handshakeDue = connectedNanos + cfg.handshakeTimeout().toNanos();
        long idleDue = lastReadNanos + cfg.idleTimeout().toNanos();
        if (!heardFirst && now >= handshakeDue) {
            out.close(CloseCode.HANDSHAKE_TIMEOUT, "no message within " + cfg.handshakeTimeout().toSeconds() + "s");
            return;
        }
        if (now >= idleDue) {
            out.close(CloseCode.IDLE_TIMEOUT, "nothing heard for " + cfg.idleTimeout().toSeconds() + "s");
            return;
        }
        if (now - lastPingNanos >= cfg.heartbeat().toNanos()) {
            lastPingNanos = now;
            // Both kinds: the JSON ping feeds browser watchdogs (JS cannot see ping frames); the
            // protocol ping is answered by any WebSocket library on its own, which keeps plain
            // clients that never send a frame alive under the idle timeout.
            out.send("{\"op\":\"ping\"}");
            channel.writeAndFlush(new PingWebSocketFrame());
        }
        long next = Math.min(lastPingNanos + cfg.heartbeat().toNanos(), idleDue);
        if (!heardFirst) next = Math.min(next, handshakeDue);
        schedule(ctx, next - now);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ticker != null) ticker.cancel(false);
        services.connections().remove(id);
        for (Subscription s : subs.values()) s.cancel();
        subs.clear();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        try {
            lastReadNanos = System.nanoTime(); // any frame, pongs included, shows the client is alive
            if (frame instanceof TextWebSocketFrame text) {
                heardFirst = true;
                onText(text);
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                // echo the client's code (RFC 6455 5.5.1); a close without one is answered without one
                CloseWebSocketFrame echo = close.statusCode() < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(close.statusCode(), "");
                ctx.writeAndFlush(echo).addListener(f -> ctx.close());
            } else if (frame instanceof BinaryWebSocketFrame) {
                error(null, ErrorCode.BAD_REQUEST, "binary frames are not part of the protocol; send JSON text");
            }
        } finally {
            frame.release();
        }
    }

    private void onText(TextWebSocketFrame frame) {
        int size = frame.content().readableBytes();
        if (size > services.config().maxFrameBytes()) {
            error(null, ErrorCode.TOO_LARGE, "frame of " + size + " bytes exceeds " + services.config().maxFrameBytes());
            return;
        }
        JsonNode msg;
        try {
            msg = Json.MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(frame.content()));
        } catch (Exception e) {
            error(null, ErrorCode.BAD_JSON, "frame is not valid JSON");
            return;
        }
        if (!(msg instanceof ObjectNode req)) {
            error(null, ErrorCode.BAD_REQUEST, "a frame must be a JSON object with an op");
            return;
        }
        JsonNode reqId = req.get("id");
        if (reqId != null && !reqId.isNumber() && !reqId.isTextual()) {
            error(null, ErrorCode.BAD_REQUEST, "id must be a number or a string");
            return;
        }
        try {
            dispatch(req, reqId);
        } catch (RuncastException e) {
            error(reqId, e.code(), e.getMessage());
        }
    }

    private void dispatch(ObjectNode req, JsonNode reqId) {
        JsonNode opNode = req.get("op");
        if (opNode == null || !opNode.isTextual()) throw new RuncastException(ErrorCode.BAD_REQUEST, "op is required and must be a string");
        switch (opNode.asText()) {
            case "subscribe" -> subscribe(req, reqId);
            case "unsubscribe" -> unsubscribe(req, reqId);
            case "ping" -> reply(reqId, Json.object().put("op", "pong"));
            case "pong" -> { }
            case "publish" -> publish(req, reqId);
            case "chat" -> chat(req, reqId);
            case "cancel" -> control(reqId, req, services.control().cancel(run(req), id, optText(req, "reason")));
            case "pause" -> control(reqId, req, services.control().pause(run(req), id));
            case "resume" -> control(reqId, req, services.control().resume(run(req), id));
            case "decide" -> {
                String decision = text(req, "decision");
                if (!req.has("choice")) throw new RuncastException(ErrorCode.BAD_REQUEST, "choice is required");
                control(reqId, req, services.control().decide(run(req), decision, req.get("choice"), id));
            }
            default -> throw new RuncastException(ErrorCode.UNKNOWN_OP, "unknown op '" + opNode.asText() + "'");
        }
    }

    private void subscribe(ObjectNode req, JsonNode reqId) {
        String run = subscribable(req);
        Long since = null;
        JsonNode s = req.get("since");
        if (s != null && !s.isNull()) {
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                throw new RuncastException(ErrorCode.BAD_REQUEST, "since must be a non-negative integer");
            }
            since = s.asLong();
        }
        String epoch = optText(req, "epoch");
        List<String> types = null;
        JsonNode t = req.get("types");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) throw new RuncastException(ErrorCode.BAD_REQUEST, "types must be an array of strings");
            types = new ArrayList<>();
            for (JsonNode n : t) {
                if (!n.isTextual()) throw new RuncastException(ErrorCode.BAD_REQUEST, "types must be an array of strings");
                types.add(n.asText());
            }
        }
        TypeFilter filter;
        try {
            filter = TypeFilter.of(types);
        } catch (IllegalArgumentException e) {
            throw new RuncastException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
        if (subs.containsKey(run)) throw new RuncastException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + run);
        if (subs.size() >= services.config().maxSubscriptions()) {
            throw new RuncastException(ErrorCode.LIMIT_EXCEEDED, "at most " + services.config().maxSubscriptions() + " subscriptions per connection");
        }
        subs.put(run, services.hubFor(run).subscribe(run, since, epoch, filter, this, reqId));
    }

    private void unsubscribe(ObjectNode req, JsonNode reqId) {
        String run = subscribable(req);
        Subscription s = subs.remove(run);
        if (s == null) throw new RuncastException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to " + run);
        s.cancel();
        reply(reqId, Json.object().put("op", "unsubscribed").put("run", run));
    }

    private void publish(ObjectNode req, JsonNode reqId) {
        if (!services.config().allowPublish()) throw new RuncastException(ErrorCode.FORBIDDEN, "publishing over WebSocket is disabled");
        String run = run(req);
        JsonNode body = req.has("events") ? req.get("events") : req.get("event");
        if (body == null) throw new RuncastException(ErrorCode.BAD_REQUEST, "event (an object) or events (an array) is required");
        if (req.has("events") && !body.isArray()) throw new RuncastException(ErrorCode.BAD_REQUEST, "events must be an array");
        services.engine().publish(run, DraftParser.parse(body)).whenComplete((accepted, err) -> {
            if (err != null) {
                error(reqId, err);
                return;
            }
            ObjectNode r = Json.object().put("op", "published").put("run", run);
            ArrayNode a = r.putArray("accepted");
            for (Appended ap : accepted) {
                a.addObject().put("seq", ap.event().seq()).put("id", ap.event().id()).put("duplicate", ap.duplicate());
            }
            reply(reqId, r);
        });
    }

    /**
     * Starts a chat run and subscribes this connection to it at once: the answer ({@code started}, with
     * the run) comes first, then {@code subscribed} and the run's events from its first.
     */
    private void chat(ObjectNode req, JsonNode reqId) {
        ChatRequest chat = ChatRequest.parse(req);
        if (subs.size() >= services.config().maxSubscriptions()) {
            throw new RuncastException(ErrorCode.LIMIT_EXCEEDED, "at most " + services.config().maxSubscriptions()
                    + " subscriptions per connection; unsubscribe before starting a chat");
        }
        services.chats().start(chat, id).whenComplete((started, err) -> channel.eventLoop().execute(() -> {
            if (err != null) {
                error(reqId, err);
                return;
            }
            ObjectNode r = Json.object().put("op", "started");
            r.setAll(started.toJson());
            reply(reqId, r);
            if (channel.isActive() && !subs.containsKey(started.run())) {
                subs.put(started.run(), services.hub().subscribe(started.run(), null, null, TypeFilter.ALL, this, null));
            }
        }));
    }

    private void control(JsonNode reqId, ObjectNode req, CompletionStage<io.runcast.event.Event> outcome) {
        String run = req.get("run").asText();
        outcome.whenComplete((event, err) -> {
            if (err != null) error(reqId, err);
            else reply(reqId, Json.object().put("op", "ok").put("run", run).put("seq", event.seq()));
        });
    }

    /** A run id, or the run feed's name: it can be watched, though nothing can be published to it. */
    private String subscribable(ObjectNode req) {
        String run = text(req, "run");
        if (!RunFeed.isFeed(run)) services.engine().checkRun(run);
        return run;
    }

    private String run(ObjectNode req) {
        String run = text(req, "run");
        services.engine().checkRun(run);
        return run;
    }

    private static String text(ObjectNode req, String field) {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) throw new RuncastException(ErrorCode.BAD_REQUEST, field + " is required");
        if (!n.isTextual()) throw new RuncastException(ErrorCode.BAD_REQUEST, field + " must be a string");
        return n.asText();
    }

    private static String optText(ObjectNode req, String field) {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new RuncastException(ErrorCode.BAD_REQUEST, field + " must be a string");
        return n.asText();
    }

    private void reply(JsonNode reqId, ObjectNode body) {
        Frames.putId(body, reqId);
        out.send(Json.write(body));
    }

    private void error(JsonNode reqId, Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof RuncastException re) error(reqId, re.code(), re.getMessage());
        else error(reqId, ErrorCode.INTERNAL, "internal error");
    }

    private void error(JsonNode reqId, ErrorCode code, String message) {
        out.send(Frames.error(reqId, code, message));
        if (code == ErrorCode.INTERNAL || code == ErrorCode.UNAVAILABLE) return;
        long now = System.nanoTime();
        if (now - errorWindowStart > TimeUnit.MINUTES.toNanos(1)) {
            errorWindowStart = now;
            errorsThisMinute = 0;
        }
        if (++errorsThisMinute > MAX_ERRORS_PER_MINUTE) {
            out.close(CloseCode.PROTOCOL_VIOLATION, "more than " + MAX_ERRORS_PER_MINUTE + " bad frames in a minute");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    // ---- Sink: called by the hub from replay workers and committing threads ----

    @Override
    public void subscribed(Subscription sub, Subscribed info) {
        out.send(Frames.subscribed(sub.tag(), info.run(), info.epoch(), info.head(), info.first(), info.recovered()));
    }

    @Override
    public void event(Subscription sub, EncodedEvent event) {
        out.send(event.frame());
    }

    @Override
    public void end(Subscription sub, long seq) {
        subs.remove(sub.run(), sub);
        out.send(Frames.end(sub.run(), seq));
    }

    @Override
    public void failed(Subscription sub, RuncastException error) {
        subs.remove(sub.run(), sub);
        error(sub.tag() instanceof JsonNode j ? j : null, error.code(), error.getMessage());
    }

    @Override
    public boolean ready(Runnable onReady) {
        return out.ready(onReady);
    }

    @Override
    public void tooSlow(String why) {
        out.tooSlow();
    }

    /** Runs this connection is subscribed to (live view). */
    Set<String> runs() {
        return subs.keySet();
    }
}
