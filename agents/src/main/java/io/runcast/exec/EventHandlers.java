package io.runcast.exec;

import io.runcast.event.Event;
import io.runcast.event.TypeFilter;
import io.runcast.store.CommitListener;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side hooks on committed events, by type pattern ({@code quality.check}, {@code step.*}, {@code *}),
 * like seed 001's {@code register_handler}.
 *
 * <p>Isolation: {@link #committed} only enqueues. Each handler has its own bounded queue drained on the
 * executor, one event at a time and in commit order, so a slow handler delays nobody but itself, and a
 * failing one is logged and counted. When a handler falls {@code queueCapacity} events behind, its oldest
 * queued events are dropped (counted in {@link #dropped()}) rather than letting memory grow.
 */
public final class EventHandlers implements CommitListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventHandlers.class);
    public static final int DEFAULT_QUEUE = 10_000;

    private final Executor executor;
    private final int queueCapacity;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    public EventHandlers(Executor executor, int queueCapacity) {
        if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be >= 1");
        this.executor = executor;
        this.queueCapacity = queueCapacity;
    }

    /** A synchronous handler: called with each matching event, in order; the next waits until it returns. */
    public AutoCloseable on(String typePattern, Consumer<Event> handler) {
        return add(typePattern, e -> {
            handler.accept(e);
            return null;
        });
    }

    /** An asynchronous handler: called in order; the stage it returns is not waited for, only its failure logged. */
    public AutoCloseable onAsync(String typePattern, Function<Event, CompletionStage<?>> handler) {
        return add(typePattern, handler);
    }

    /** Events dropped because a handler was too far behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Handler invocations that threw or whose stage failed. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void committed(String run, List<Event> events) {
        if (closed) return;
        for (Registration r : registrations) {
            for (Event e : events) {
                if (r.filter.accepts(e.type())) r.offer(e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        registrations.clear();
    }

    private AutoCloseable add(String pattern, Function<Event, CompletionStage<?>> fn) {
        Registration r = new Registration(TypeFilter.of(List.of(pattern)), fn);
        registrations.add(r);
        return () -> registrations.remove(r);
    }

    private final class Registration implements Runnable {
        final TypeFilter filter;
        final Function<Event, CompletionStage<?>> fn;
        private final ArrayDeque<Event> queue = new ArrayDeque<>();
        private boolean draining;

        Registration(TypeFilter filter, Function<Event, CompletionStage<?>> fn) {
            this.filter = filter;
            this.fn = fn;
        }

        void offer(Event e) {
            boolean start;
            synchronized (this) {
                if (queue.size() >= queueCapacity) {
                    queue.poll();
                    dropped.incrementAndGet();
                }
                queue.add(e);
                start = !draining;
                draining = true;
            }
            if (start) {
                try {
                    executor.execute(this);
                } catch (RejectedExecutionException ex) {
                    synchronized (this) {
                        draining = false;
                    }
                }
            }
        }

        @Override
        public void run() {
            while (true) {
                Event e;
                synchronized (this) {
                    e = queue.poll();
                    if (e == null) {
                        draining = false;
                        return;
                    }
                }
                try {
                    CompletionStage<?> s = fn.apply(e);
                    if (s != null) {
                        s.whenComplete((v, err) -> {
                            if (err != null) failed(e, err);
                        });
                    }
                } catch (Throwable t) {
                    failed(e, t);
                }
            }
        }

        private void failed(Event e, Throwable t) {
            failures.incrementAndGet();
            log.warn("event handler for {} failed on {} #{} of run {}", filter, e.type(), e.seq(), e.run(), t);
        }
    }
}
