package io.runcast.transport.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.runcast.event.TypeFilter;
import io.runcast.feed.RunFeed;
import io.runcast.hub.ResumePoint;
import io.runcast.protocol.ErrorCode;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.WsOpen;
import io.runcast.transport.ws.WsSession;
import java.util.ArrayDeque;

/**
 * The first handler of every connection: upgrades {@code /ws} to the native WebSocket protocol,
 * serves the dashboard files, and hands {@code /api/…} to {@link ApiRoutes} on the blocking pool
 * (store reads may touch disk; the event loop must not wait on them).
 *
 * <p>Answers leave in request order (HTTP/1.1 pipelining, RFC 9112 9.3): requests wait in a queue and
 * the next one is dispatched only once the answer of the one before was written, however many arrived
 * in one read and however late an asynchronous answer (a publish) comes. Every answer must be written to
 * the channel ({@code ctx.channel().write…}, as {@link HttpReplies} does) so that it passes
 * {@link #write} here, where the end of a response ({@link LastHttpContent}) is noticed. Reading pauses
 * while a request is being answered, so a client cannot queue up unbounded work. After a switch to
 * WebSocket or SSE, or an answer with {@code Connection: close}, nothing more is answered as HTTP here.
 * All state is confined to the channel's event loop.
 */
public final class HttpHandler extends ChannelDuplexHandler {
    private final Services services;
    private final ApiRoutes api;
    private final StaticFiles files;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    /** The request being answered, or null; released once its answer is written. */
    private FullHttpRequest current;
    private boolean currentKeepAlive;
    /** The connection left plain HTTP (upgrade, SSE, closing): later requests are dropped unanswered. */
    private boolean done;

    public HttpHandler(Services services, ApiRoutes api, StaticFiles files) {
        this.services = services;
        this.api = api;
        this.files = files;
    }

    public static HttpHandler create(Services services) {
        return new HttpHandler(services, new ApiRoutes(services), new StaticFiles());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (done) {
            req.release();
            return;
        }
        if (req.decoderResult().isSuccess() && isWebSocketUpgrade(req)) {
            // What follows this request on the wire is WebSocket: stop parsing it as HTTP right now.
            UpgradeBytes.install(ctx.pipeline());
        }
        waiting.add(req);
        if (current == null) next(ctx);
    }

    /** Dispatches the next waiting request, or resumes reading when there is none. */
    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest req = waiting.poll();
        if (req == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        current = req;
        currentKeepAlive = HttpUtil.isKeepAlive(req);
        try {
            dispatch(ctx, req, currentKeepAlive);
        } catch (RuntimeException e) {
            HttpReplies.error(ctx, currentKeepAlive, e);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        FullHttpRequest answered = current;
        if (!(msg instanceof LastHttpContent) || answered == null) {
            ctx.write(msg, promise);
            return;
        }
        if (!currentKeepAlive || (msg instanceof HttpResponse r && !HttpUtil.isKeepAlive(r))) done = true;
        ChannelPromise p = promise.unvoid();
        p.addListener(f -> {
            if (current != answered) return; // the handler was removed meanwhile and released it
            current = null;
            answered.release();
            if (!f.isSuccess()) ctx.close();
            else if (!done) next(ctx);
        });
        ctx.write(msg, p);
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        if (!req.decoderResult().isSuccess()) {
            HttpReplies.error(ctx, false, ErrorCode.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (isWebSocketUpgrade(req)) {
            upgrade(ctx, req);
            return;
        }
        if (req.method() == HttpMethod.OPTIONS) {
            // CORS preflight: front ends served from another origin (seed 000's dev server on :3001)
            // may call the API with JSON bodies
            HttpReplies.preflight(ctx, keepAlive);
            return;
        }
        if (req.method() == HttpMethod.GET && path.startsWith("/api/runs/") && path.endsWith("/stream")) {
            stream(ctx, req, uri, keepAlive);
            return;
        }
        if (path.startsWith("/api/") || path.equals("/metrics")) {
            services.blocking().execute(() -> {
                try {
                    if (path.startsWith("/api/") && services.endpoints() != null && services.endpoints()
                            .http(new NettyExchange(ctx, req, uri, keepAlive, services))) {
                        return; // a format served beside the native API answered it
                    }
                    api.handle(ctx, req, uri, keepAlive);
                } catch (RuntimeException e) {
                    HttpReplies.error(ctx, keepAlive, e);
                }
            });
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.NOT_FOUND, "no route " + req.method() + " " + path);
            return;
        }
        var file = files.get(path);
        if (file.isEmpty()) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.NOT_FOUND, "no such file " + path);
            return;
        }
        HttpReplies.send(ctx, keepAlive, 200, file.get().contentType(), file.get().bytes());
    }

    /**
     * {@code GET /api/runs/{run}/stream}: Server-Sent Events. Resumes after {@code Last-Event-ID} (or
     * {@code ?since=}); {@code ?epoch=} and {@code ?types=a.*,b} as in the WebSocket subscribe. The run
     * feed streams here too, as {@code /api/runs/$runs/stream}.
     */
    private void stream(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
        String[] parts = uri.path().split("/");
        if (parts.length != 5) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.NOT_FOUND, "no route GET " + uri.path());
            return;
        }
        String run = QueryStringDecoder.decodeComponent(parts[3]);
        Long since;
        TypeFilter filter;
        String epoch = ApiRoutes.param(uri, "epoch");
        try {
            if (!RunFeed.isFeed(run)) services.engine().checkRun(run);
            String last = req.headers().get("Last-Event-ID", ApiRoutes.param(uri, "since"));
            since = last == null || last.isBlank() ? null : Long.parseLong(last.trim());
            if (since != null && since < 0) throw new NumberFormatException();
            String types = ApiRoutes.param(uri, "types");
            filter = TypeFilter.of(types == null ? null : java.util.List.of(types.split(",")));
        } catch (NumberFormatException e) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.BAD_REQUEST, "Last-Event-ID / since must be a non-negative integer");
            return;
        } catch (IllegalArgumentException e) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        } catch (RuntimeException e) {
            HttpReplies.error(ctx, keepAlive, e);
            return;
        }
        services.blocking().execute(() -> {
            var info = services.engine().info(run);
            ctx.executor().execute(() -> {
                if (since != null && ResumePoint.of(info, since, epoch).complete()) {
                    // the client has the whole ended stream: 204 tells EventSource to stop reconnecting
                    HttpReplies.send(ctx, keepAlive, 204, "text/plain", new byte[0]);
                    return;
                }
                io.runcast.transport.sse.SseSession.open(ctx, run, since, epoch, filter, services);
            });
        });
    }

    private static boolean isWebSocketUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        int hardLimit = services.config().maxFrameBytes() * 4;
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String id = services.connections().nextId("c");
        // /ws is the native protocol; any other path belongs to a format installed beside it, or to nobody
        ChannelHandler session = uri.path().equals("/ws") ? new WsSession(services, id)
                : services.endpoints() == null ? null
                : services.endpoints().webSocket(new WsOpen(uri.path(), uri, req.headers(), id));
        done = true; // HTTP parsing stopped at this request (UpgradeBytes): whatever happens, no more HTTP here
        if (session == null) {
            HttpReplies.error(ctx, false, ErrorCode.NOT_FOUND, "no WebSocket endpoint at " + uri.path());
            return;
        }
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + uri.path();
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(url, null, false, hardLimit).newHandshaker(req);
        if (hs == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()).addListener(f -> ctx.close());
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        hs.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) ctx.close();
        });
        // Installed at once, not when the handshake write completes: a client may send its first frame
        // right behind the upgrade request, and those bytes must find the session waiting.
        if (p.get("idle") != null) p.remove("idle");
        p.addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(hardLimit));
        p.replace(this, "ws-session", session);
        UpgradeBytes.release(p);
        ctx.channel().config().setAutoRead(true); // paused while this request was answered; the session reads on
    }

    /** Replaced by a WebSocket or SSE session, or the channel closed: what was not answered is dropped. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        done = true;
        if (current != null) {
            current.release();
            current = null;
        }
        for (FullHttpRequest r; (r = waiting.poll()) != null; ) r.release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent)) ctx.fireUserEventTriggered(evt);
        else if (current == null) ctx.close(); // no complete request within the handshake timeout
        // else: reading pauses while we answer, so the silence is ours, not the client's
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
