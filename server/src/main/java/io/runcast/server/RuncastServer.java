package io.runcast.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.runcast.chat.ChatDesk;
import io.runcast.config.RuncastConfig;
import io.runcast.control.RunControl;
import io.runcast.control.StreamControl;
import io.runcast.engine.AbandonedRuns;
import io.runcast.engine.Engine;
import io.runcast.event.Event;
import io.runcast.feed.FeedConfig;
import io.runcast.feed.RunFeed;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.store.CommitFanout;
import io.runcast.store.EventStore;
import io.runcast.transport.Connections;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.Endpoints;
import io.runcast.transport.http.HttpHandler;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Runcast server in one object: store, hub, engine, run control and the Netty transports.
 * {@link #start} binds and returns; {@link #close} stops accepting, closes connections and flushes
 * the store. Embeddable: tests and the CLI both use it.
 */
public final class RuncastServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuncastServer.class);

    private final RuncastConfig config;
    private final EventStore store;
    private final Services services;
    private final StreamControl control;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService blocking;
    private final ScheduledExecutorService timers;
    private final Channel serverChannel;

    private RuncastServer(RuncastConfig config, EventStore store) throws InterruptedException {
        this.config = config;
        this.store = store;
        this.blocking = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2), daemon("runcast-blocking"));
        this.timers = Executors.newScheduledThreadPool(1, daemon("runcast-timers"));
        // a replay waiting for a client that does not read costs no thread, only a timer: give it as long as an idle client
        Hub hub = new Hub(store, blocking, timers, HubConfig.DEFAULT.withReplayStall(config.idleTimeout()));
        Engine engine = new Engine(store, config.limits());
        this.control = new StreamControl(engine, timers);
        RunFeed feed = new RunFeed(store, blocking, timers, FeedConfig.DEFAULT);
        // control first: a client may answer a decision the instant the hub shows it
        store.listener(new CommitFanout(List.of(control, hub, feed)));
        this.services = new Services(config, engine, hub, control, new Connections(), blocking, Instant.now(), feed, new ChatDesk(),
                new Endpoints());
        if (!config.abandonAfter().isZero()) {
            AbandonedRuns abandoned = new AbandonedRuns(engine, config.abandonAfter());
            long period = abandoned.period().toMillis();
            timers.scheduleWithFixedDelay(abandoned, period, period, TimeUnit.MILLISECONDS);
        }
        boolean epoll = Epoll.isAvailable();
        var ioHandler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.boss = new MultiThreadIoEventLoopGroup(1, ioHandler);
        this.workers = new MultiThreadIoEventLoopGroup(0, ioHandler);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(config.handshakeTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregator", new HttpObjectAggregator(config.maxFrameBytes() * 4))
                                .addLast("handler", HttpHandler.create(services));
                    }
                });
        this.serverChannel = b.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
    }

    /** Starts a server on the given store (which it then owns and closes). */
    public static RuncastServer start(RuncastConfig config, EventStore store) {
        try {
            RuncastServer s = new RuncastServer(config, store);
            log.info("Runcast {} listening on {}:{} (store: {})", Services.VERSION, config.host(), s.port(), store.kind());
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            store.close();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Starts a server with the store the configuration names. */
    public static RuncastServer start(RuncastConfig config) {
        return start(config, Stores.open(config));
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public RuncastConfig config() {
        return config;
    }

    public Engine engine() {
        return services.engine();
    }

    public RunControl control() {
        return control;
    }

    public StreamControl streamControl() {
        return control;
    }

    public Services services() {
        return services;
    }

    /** Where the agents that answer chats are installed (see {@link ChatDesk}). */
    public ChatDesk chats() {
        return services.chats();
    }

    /** Where formats served beside the native protocol are installed (see {@link Endpoints}). */
    public Endpoints endpoints() {
        return services.endpoints();
    }

    public ScheduledExecutorService timers() {
        return timers;
    }

    /** Appends via the engine and waits; a convenience for embedding and tests. */
    public List<Event> publishAndWait(String run, List<io.runcast.event.EventDraft> drafts) {
        return engine().publish(run, drafts).toCompletableFuture().join().stream().map(io.runcast.store.Appended::event).toList();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        // tell clients to come back (1001) instead of letting them see a dropped socket
        services.connections().closeAll(io.runcast.protocol.CloseCode.GOING_AWAY);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (services.connections().size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        timers.shutdownNow();
        services.feed().close();
        blocking.shutdown();
        try {
            blocking.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
