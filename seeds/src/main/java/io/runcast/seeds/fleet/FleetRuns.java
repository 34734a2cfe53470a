package io.runcast.seeds.fleet;

import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.ChatStarted;
import io.runcast.store.RunInfo;
import io.runcast.transport.Services;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a chat run for a fleet request, or hands back the run the same request already started.
 * The project's client ({@code reconnecting-websocket}) reopens a socket the server closed and sends
 * its request again; that must follow the run in progress, not ask the same question twice. A request
 * is "the same" when it names the same conversation and message as that conversation's latest run,
 * and that run is still executing or ended less than the rejoin window ago — whichever way that run
 * was started (this format, another client, a producer publishing turn {@code c.n} itself), since the
 * latest turn is looked up in the store when this node did not start it. Thread-safe.
 */
final class FleetRuns {
    static final int REMEMBERED = 1000;

    /** A start for a conversation: what was asked, and the run it became. */
    private record Recent(String message, CompletableFuture<ChatStarted> started) {}

    /** A run to follow, and whether it was this request that started it. */
    record Follow(ChatStarted started, boolean joined) {}

    private final Services services;
    private final Duration window;
    private final Map<String, Recent> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
            return size() > REMEMBERED;
        }
    };

    FleetRuns(Services services, Duration window) {
        this.services = services;
        this.window = window;
    }

    /** Starts or joins; may read the store, so call off the event loop. */
    CompletableFuture<Follow> startOrJoin(ChatRequest request, String by) {
        String conversation = request.conversation();
        CompletableFuture<ChatStarted> mine;
        synchronized (recent) {
            Recent r = conversation == null ? null : recent.get(conversation);
            if (r != null && r.message().equals(request.message()) && stillCurrent(r.started())) {
                return r.started().thenApply(s -> new Follow(s, true));
            }
            ChatStarted stored = r == null && conversation != null ? latestTurn(conversation, request.message()) : null;
            if (stored != null && stillCurrent(CompletableFuture.completedFuture(stored))) {
                recent.put(conversation, new Recent(request.message(), CompletableFuture.completedFuture(stored)));
                return CompletableFuture.completedFuture(new Follow(stored, true));
            }
            mine = services.chats().start(request, by).toCompletableFuture();
            if (conversation != null) recent.put(conversation, new Recent(request.message(), mine));
        }
        return mine.thenApply(s -> new Follow(s, false));
    }

    /** The conversation's latest turn in the store when it asked {@code message}, else null. */
    private ChatStarted latestTurn(String conversation, String message) {
        int n = 0;
        while (services.engine().info(conversation + "." + (n + 1)).isPresent()) n++;
        if (n == 0) return null;
        String run = conversation + "." + n;
        var first = services.engine().read(run, 0, 1).events();
        if (first.isEmpty() || !first.get(0).type().equals(io.runcast.event.EventTypes.RUN_STARTED)) return null;
        var started = first.get(0).dataNode();
        if (!message.equals(started.path("message").asText(null))) return null;
        return new ChatStarted(run, conversation, n, started.path("agent").asText(""));
    }

    private boolean stillCurrent(CompletableFuture<ChatStarted> started) {
        if (!started.isDone()) return true; // both asked at once: the second follows the first
        if (started.isCompletedExceptionally()) return false;
        Optional<RunInfo> info = services.engine().info(started.join().run());
        if (info.isEmpty()) return false;
        return !info.get().closed() || info.get().updatedAt().plus(window).isAfter(Instant.now());
    }
}
