package io.runcast.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboundTest {
    /** Counts flushes reaching the socket end of the pipeline. */
    static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }

    @Test
    void severalQueuedPayloads_goOutWithOneFlush_sameBytesNotCopied() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        Outbound out = Outbound.webSocket(ch, 1 << 20);
        byte[] shared = "{\"op\":\"event\"}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5; i++) out.send(shared);
        ch.runPendingTasks();
        assertThat(counter.flushes.get()).isEqualTo(1);
        for (int i = 0; i < 5; i++) {
            TextWebSocketFrame f = ch.readOutbound();
            assertThat(f.content().hasArray()).isTrue();
            assertThat(f.content().array()).isSameAs(shared); // wrapped, not copied
            f.release();
        }
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void overTheLimit_dropsQueueAndClosesWith4000() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        Outbound out = Outbound.webSocket(ch, 64 * 1024);
        byte[] big = new byte[20 * 1024];
        for (int i = 0; i < 4; i++) out.send(big); // the 4th exceeds 64 KiB while nothing drains
        assertThat(out.isClosing()).isTrue();
        ch.runPendingTasks();
        Object first = ch.readOutbound();
        assertThat(first).isInstanceOf(CloseWebSocketFrame.class);
        assertThat(((CloseWebSocketFrame) first).statusCode()).isEqualTo(4000);
        ((CloseWebSocketFrame) first).release();
        out.send(big); // after closing, sends are dropped silently
        ch.runPendingTasks();
        assertThat((Object) ch.readOutbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void pendingBytes_countQueuedPayloads() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Outbound out = Outbound.webSocket(ch, 1 << 20);
        out.send(new byte[1000]);
        out.send(new byte[500]);
        assertThat(out.pendingBytes()).isGreaterThanOrEqualTo(1500);
        assertThat(out.ready(() -> { })).isTrue();
        ch.runPendingTasks();
        ch.finishAndReleaseAll();
    }

    @Test
    void ready_isFalseWhileMoreThanTheHighWaterMarkIsQueued_andCallsBackOnceAfterTheDrain() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Outbound out = Outbound.webSocket(ch, 64 * 1024); // lowers the channel's high-water mark to 32 KiB
        assertThat(ch.config().getWriteBufferHighWaterMark()).isEqualTo(32 * 1024);
        out.send(new byte[40 * 1024]);
        AtomicInteger calls = new AtomicInteger();
        assertThat(out.ready(calls::incrementAndGet)).isFalse();
        ch.runPendingTasks(); // the drain hands the bytes to the channel, which writes them out
        assertThat(calls.get()).isEqualTo(1);
        assertThat(out.ready(calls::incrementAndGet)).isTrue();
        ch.runPendingTasks();
        assertThat(calls.get()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void ready_isFalseWhileTheChannelIsUnwritable_andCallsBackWhenItTurnsWritable() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Outbound out = Outbound.webSocket(ch, 1 << 20);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // as a full socket buffer would
        ch.runPendingTasks();
        AtomicInteger calls = new AtomicInteger();
        assertThat(out.ready(calls::incrementAndGet)).isFalse();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        assertThat(calls.get()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }
}
