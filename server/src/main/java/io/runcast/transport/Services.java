package io.runcast.transport;

import io.runcast.chat.ChatDesk;
import io.runcast.config.RuncastConfig;
import io.runcast.control.RunControl;
import io.runcast.engine.Engine;
import io.runcast.feed.RunFeed;
import io.runcast.hub.Hub;
import io.runcast.transport.endpoint.Endpoints;
import java.time.Instant;
import java.util.concurrent.ExecutorService;

/**
 * What the transports need from the server, in one value so handlers take a single argument.
 *
 * @param blocking a pool for work that may block (store reads, SQLite), never the event loop
 * @param feed     the run feed ({@value RunFeed#RUN}), served by its own hub
 * @param chats     starts chat runs, once the agents are installed
 * @param endpoints the formats served beside the native protocol, once installed
 */
public record Services(RuncastConfig config, Engine engine, Hub hub, RunControl control,
                       Connections connections, ExecutorService blocking, Instant started, RunFeed feed,
                       ChatDesk chats, Endpoints endpoints) {
    public static final String VERSION = "0.1.0";

    /** The hub that serves a subscription to {@code run}: the feed's for {@value RunFeed#RUN}, else the runs' hub. */
    public Hub hubFor(String run) {
        return RunFeed.isFeed(run) ? feed.hub() : hub;
    }
}
