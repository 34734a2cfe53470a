package io.runcast.transport.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Whatever a client sends after a WebSocket upgrade request is WebSocket, not HTTP, even when it
 * arrives in the same read (a client that did not wait for {@code 101}, or one that pipelined a request
 * behind the upgrade). {@link #install} stops the HTTP decoder at the upgrade request; the raw bytes it
 * still held, and any that pass before the WebSocket decoder is in place, are kept here until
 * {@link #release} feeds them back in at the head of the pipeline, where the WebSocket decoder reads
 * them in their original order. Runs on the channel's event loop only.
 */
final class UpgradeBytes extends ChannelInboundHandlerAdapter {
    static final String NAME = "upgrade-bytes";

    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private boolean released;

    private UpgradeBytes() {}

    /** Stops HTTP decoding on this connection; call while the upgrade request is being read. */
    static void install(ChannelPipeline p) {
        HttpServerCodec codec = p.get(HttpServerCodec.class);
        if (codec == null || p.get(NAME) != null) return;
        p.addAfter(p.context(codec).name(), NAME, new UpgradeBytes());
        // The encoder stays: the 101 answer is HTTP. The decoder hands what it had not parsed yet to us.
        codec.removeInboundHandler();
    }

    /** The WebSocket decoder and session are in place: replay what was held, and pass on what comes later. */
    static void release(ChannelPipeline p) {
        if (p.get(NAME) instanceof UpgradeBytes u && hasDecoder(p)) {
            u.released = true;
            for (ByteBuf b; (b = u.held.poll()) != null; ) p.fireChannelRead(b);
        }
    }

    /** Bytes fed in at the head come back here as frames only if a WebSocket decoder sits in front of us. */
    private static boolean hasDecoder(ChannelPipeline p) {
        return p.get(WebSocketFrameDecoder.class) != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ctx.fireChannelRead(msg); // WebSocket frames on their way to the session
        } else if (!released) {
            held.add(b);
        } else if (hasDecoder(ctx.pipeline())) {
            ctx.pipeline().fireChannelRead(b);
        } else {
            b.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        for (ByteBuf b; (b = held.poll()) != null; ) ReferenceCountUtil.release(b);
    }
}
