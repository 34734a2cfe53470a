package io.runcast.transport.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.runcast.config.RuncastConfig;
import io.runcast.event.EventDraft;
import io.runcast.event.TypeFilter;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.transport.Services;
import io.runcast.store.memory.MemoryEventStore;
import io.runcast.transport.Connections;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** Every SSE stream of a run is handed the same bytes for an event: encoded once, not per connection. */
class SseEncodeOnceTest {

    @Test
    void twoStreamsOfARun_receiveTheSameByteArrayForEachEvent() {
        MemoryEventStore store = new MemoryEventStore();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            // replay steps run on the calling thread, so only this thread touches the embedded channels
            Hub hub = new Hub(store, ImmediateEventExecutor.INSTANCE, timers, HubConfig.DEFAULT);
            store.listener(hub);
            Services services = new Services(RuncastConfig.builder().build(), null, hub, null, new Connections(), null, Instant.now(), null, null, null);
            EmbeddedChannel a = stream(services), b = stream(services);
            store.append("r", List.of(EventDraft.of("log.line", null))).toCompletableFuture().join();
            store.append("r", List.of(EventDraft.of("log.line", null))).toCompletableFuture().join();
            List<byte[]> fromA = chunks(a), fromB = chunks(b);
            assertThat(fromA).hasSize(2).hasSameSizeAs(fromB);
            assertThat(new String(fromA.get(1), StandardCharsets.UTF_8)).startsWith("id: 2\ndata: {\"op\":\"event\"");
            for (int i = 0; i < fromA.size(); i++) assertThat(fromA.get(i)).isSameAs(fromB.get(i));
            a.finishAndReleaseAll();
            b.finishAndReleaseAll();
        } finally {
            timers.shutdownNow();
            store.close();
        }
    }

    private static EmbeddedChannel stream(Services services) {
        ChannelInboundHandlerAdapter request = new ChannelInboundHandlerAdapter(); // stands in for the HTTP handler
        EmbeddedChannel ch = new EmbeddedChannel(request);
        SseSession.open(ch.pipeline().context(request), "r", null, null, TypeFilter.ALL, services);
        ch.runPendingTasks();
        return ch;
    }

    /** The arrays behind the event messages written so far (not retry, comments or named messages). */
    private static List<byte[]> chunks(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<byte[]> events = new java.util.ArrayList<>();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            if (m instanceof HttpContent c && c.content().hasArray()
                    && new String(c.content().array(), StandardCharsets.UTF_8).startsWith("id: ")) {
                events.add(c.content().array());
            }
            ReferenceCountUtil.release(m);
        }
        return events;
    }
}
