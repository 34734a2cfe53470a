package io.runcast.chats;

import io.runcast.event.EventDraft;
import io.runcast.producer.RunHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A RunHandle that only records what is emitted, in order: for units that talk to a handle. */
final class RecordingHandle implements RunHandle {
    final List<EventDraft> drafts = new CopyOnWriteArrayList<>();

    @Override public String run() { return "r"; }
    @Override public String step() { return null; }
    @Override public String agent() { return null; }
    @Override public RunHandle scoped(String step, String agent) { return this; }

    @Override
    public CompletionStage<Long> emit(EventDraft draft) {
        drafts.add(draft);
        return CompletableFuture.completedFuture((long) drafts.size());
    }

    @Override
    public CompletionStage<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    List<String> texts(String type, String field) {
        return drafts.stream().filter(d -> d.type().equals(type))
                .map(d -> io.runcast.event.Json.parseObject(d.data()).path(field).asText()).toList();
    }
}
