package io.runcast.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Event;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Sink;
import io.runcast.hub.Subscribed;
import io.runcast.hub.Subscription;
import io.runcast.protocol.RuncastException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** Records the feed events a hub delivers, in order, with their data parsed. */
final class FeedRecorder implements Sink {
    final List<Event> events = new CopyOnWriteArrayList<>();
    final AtomicReference<Subscribed> subscribed = new AtomicReference<>();

    static FeedRecorder follow(RunFeed feed) {
        FeedRecorder r = new FeedRecorder();
        feed.hub().subscribe(RunFeed.RUN, feed.position().head(), feed.position().epoch(), io.runcast.event.TypeFilter.ALL, r, null);
        return r;
    }

    /** Feed events of a type, oldest first. */
    Stream<Event> of(String type) {
        return events.stream().filter(e -> e.type().equals(type));
    }

    /** Data of created and status events about one run, oldest first. */
    List<JsonNode> about(String run) {
        return events.stream().filter(e -> !e.type().equals(RunFeed.PROGRESS)).map(Event::dataNode)
                .filter(d -> d.path("run").asText().equals(run)).map(d -> (JsonNode) d).toList();
    }

    /** Progress entries about one run, oldest first. */
    List<JsonNode> progressOf(String run) {
        return of(RunFeed.PROGRESS).flatMap(e -> {
            List<JsonNode> entries = new java.util.ArrayList<>();
            e.dataNode().path("runs").forEach(entries::add);
            return entries.stream();
        }).filter(p -> p.path("run").asText().equals(run)).toList();
    }

    @Override public void subscribed(Subscription s, Subscribed info) { subscribed.set(info); }
    @Override public void event(Subscription s, EncodedEvent e) { events.add(e.event()); }
    @Override public void end(Subscription s, long seq) { throw new AssertionError("the feed never ends"); }
    @Override public void failed(Subscription s, RuncastException error) { throw new AssertionError(error); }
    @Override public boolean ready(Runnable onReady) { return true; }
    @Override public void tooSlow(String why) { throw new AssertionError(why); }
}
