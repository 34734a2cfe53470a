package io.runcast.transport.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Sink;
import io.runcast.hub.Subscribed;
import io.runcast.hub.Subscription;
import io.runcast.hub.WireFormat;
import io.runcast.protocol.CloseCode;
import io.runcast.protocol.Frames;
import io.runcast.protocol.RuncastException;
import io.runcast.transport.Services;
import io.runcast.transport.Outbound;
import io.runcast.transport.endpoint.SseView;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One Server-Sent Events stream of one run ({@code GET /api/runs/{run}/stream}). Each event is
 * {@code id: <seq>} plus {@code data: <the native event frame>}, so an {@code EventSource} that
 * reconnects sends {@code Last-Event-ID} and resumes exactly after it. Named events {@code subscribed},
 * {@code end} and {@code error} carry the same JSON as the WebSocket protocol's frames. The stream
 * closes after {@code end}; a client that still reconnects is answered 204, which stops EventSource.
 * A reader that falls behind is cut off (it reconnects and resumes from its last id). What is written
 * for each event is the session's {@link SseView}: the native one here, or another protocol's.
 */
public final class SseSession extends ChannelInboundHandlerAdapter implements Sink {
    /** How long EventSource waits before reconnecting after a drop. */
    static final int RETRY_MS = 2000;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    /** {@code id: <seq>} and {@code data: <native frame>}: made once per event, shared by all streams. */
    static final WireFormat FORMAT = SseSession::message;

    private final Services services;
    private final String id;
    private final String run;
    private final SseView view;
    private Outbound out;
    private Subscription sub;
    private ScheduledFuture<?> heartbeat;

    private SseSession(Services services, String id, String run, SseView view) {
        this.services = services;
        this.id = id;
        this.run = run;
        this.view = view;
    }

    /**
     * Turns the connection into an event stream and subscribes it. Call on the channel's event loop,
     * in place of the handler that read the request; the request was validated already.
     */
    public static void open(ChannelHandlerContext ctx, String run, Long since, String epoch, TypeFilter filter,
                            Services services) {
        open(ctx, run, since, epoch, filter, services, NATIVE);
    }

    /**
     * The same with another protocol's view of the run (one new {@code view} per stream). Call on the
     * channel's event loop, in place of the handler that read the request.
     */
    public static void open(ChannelHandlerContext ctx, String run, Long since, String epoch, TypeFilter filter,
                            Services services, SseView view) {
        SseSession session = new SseSession(services, services.connections().nextId("s"), run, view);
        ChannelPipeline p = ctx.pipeline();
        if (p.get("idle") != null) p.remove("idle"); // the client only listens from here on
        p.replace(ctx.handler(), "sse-session", session);
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        res.headers().set("X-Accel-Buffering", "no"); // proxies such as nginx must not buffer the stream
        ctx.channel().writeAndFlush(res);
        session.start(ctx, since, epoch, filter);
    }

    private void start(ChannelHandlerContext ctx, Long since, String epoch, TypeFilter filter) {
        out = new Outbound(ctx.channel(), services.config().outboundLimitBytes(),
                bytes -> new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)),
                (code, reason) -> LastHttpContent.EMPTY_LAST_CONTENT);
        services.connections().add(id, view.transport(), String.valueOf(ctx.channel().remoteAddress()), Set.of(run),
                code -> out.close(code, code.reason()));
        out.send("retry: " + RETRY_MS + "\n\n");
        long every = services.config().heartbeat().toMillis();
        heartbeat = ctx.executor().scheduleAtFixedRate(() -> out.send(": ping\n\n"), every, every, TimeUnit.MILLISECONDS);
        sub = services.hubFor(run).subscribe(run, since, epoch, filter, this, null);
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // nothing more is expected from an SSE client
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat != null) heartbeat.cancel(false);
        if (sub != null) sub.cancel();
        services.connections().remove(id);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static byte[] message(EncodedEvent e) {
        byte[] idLine = ("id: " + e.seq() + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = e.frame();
        byte[] chunk = new byte[idLine.length + DATA.length + frame.length + END_OF_EVENT.length];
        System.arraycopy(idLine, 0, chunk, 0, idLine.length);
        System.arraycopy(DATA, 0, chunk, idLine.length, DATA.length);
        System.arraycopy(frame, 0, chunk, idLine.length + DATA.length, frame.length);
        System.arraycopy(END_OF_EVENT, 0, chunk, chunk.length - END_OF_EVENT.length, END_OF_EVENT.length);
        return chunk;
    }

    // ---- Sink ----

    @Override
    public void subscribed(Subscription s, Subscribed info) {
        send(view.subscribed(info));
    }

    @Override
    public void event(Subscription s, EncodedEvent e) {
        send(view.event(e));
    }

    @Override
    public void end(Subscription s, long seq) {
        send(view.end(run, seq));
        out.close(CloseCode.NORMAL, "run ended");
    }

    @Override
    public void failed(Subscription s, RuncastException error) {
        send(view.failed(error));
        out.close(CloseCode.NORMAL, "subscription failed");
    }

    private void send(byte[] bytes) {
        if (bytes != null && bytes.length > 0) out.send(bytes);
    }

    @Override
    public boolean ready(Runnable onReady) {
        return out.ready(onReady);
    }

    @Override
    public void tooSlow(String why) {
        out.tooSlow();
    }

    /** The native messages: shared bytes per event, and the WebSocket protocol's frames as named events. */
    private static final SseView NATIVE = new SseView() {
        @Override
        public String transport() {
            return "sse";
        }

        @Override
        public byte[] subscribed(Subscribed info) {
            return utf8("event: subscribed\ndata: "
                    + Frames.subscribed(null, info.run(), info.epoch(), info.head(), info.first(), info.recovered()) + "\n\n");
        }

        @Override
        public byte[] event(EncodedEvent e) {
            return e.encoded(FORMAT); // the same bytes for every SSE subscriber of this event
        }

        @Override
        public byte[] end(String run, long seq) {
            return utf8("event: end\ndata: " + Frames.end(run, seq) + "\n\n");
        }

        @Override
        public byte[] failed(RuncastException error) {
            return utf8("event: error\ndata: " + Frames.error(null, error.code(), error.getMessage()) + "\n\n");
        }
    };

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
