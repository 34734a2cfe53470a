package io.runcast.chats;

import io.runcast.engine.Engine;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Conversations, kept in the runs themselves: turn {@code n} of conversation {@code c} is run
 * {@code c.n}, whose {@code run.started} carries the person's message and whose {@code answer.final}
 * is the reply. So a conversation needs no table of its own and survives a restart with the store;
 * this class only caches what it read (the most recent {@value #CACHED} conversations).
 *
 * <p>{@link #claim} hands out turn numbers one at a time per conversation: while a turn executes here,
 * the next one is refused with {@code conversation_busy}, since its context would lack the answer.
 */
final class Conversations {
    static final int CACHED = 1000;
    private static final int PAGE = 1000;

    private final Engine engine;
    private final int historyTurns;
    private final Predicate<String> executing;
    private final Map<String, Conversation> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Conversation> eldest) {
            return size() > CACHED;
        }
    };

    /**
     * @param executing whether a run is executing on this server now (a turn left open by a crash or an
     *                  earlier server is not, and does not block the conversation)
     */
    Conversations(Engine engine, int historyTurns, Predicate<String> executing) {
        this.engine = engine;
        this.historyTurns = historyTurns;
        this.executing = executing;
    }

    /** The run id of a turn. */
    static String runOf(String conversation, int turn) {
        return conversation + "." + turn;
    }

    /** A turn reserved for a new message, with the context the agent gets. */
    record Claim(String conversation, int turn, List<ChatMessage> history) {
        String run() {
            return runOf(conversation, turn);
        }
    }

    /**
     * Reserves the next turn of a conversation. The caller must then start its run or {@link #release}
     * the claim. Reads the store on a cache miss; call off the event loop.
     *
     * @throws RuncastException CONVERSATION_BUSY while the previous turn executes
     */
    Claim claim(String conversation) {
        Conversation c;
        synchronized (cache) {
            c = cache.computeIfAbsent(conversation, Conversation::new);
        }
        synchronized (c) {
            if (!c.loaded) c.load();
            if (c.pending != 0) {
                throw busy(conversation, runOf(conversation, c.pending));
            }
            if (c.turns > 0 && executing.test(runOf(conversation, c.turns))) {
                throw busy(conversation, runOf(conversation, c.turns));
            }
            c.catchUp();
            int turn = c.turns + 1;
            c.pending = turn;
            List<ChatMessage> history = c.history.size() > historyTurns * 2
                    ? c.history.subList(c.history.size() - historyTurns * 2, c.history.size()) : c.history;
            return new Claim(conversation, turn, List.copyOf(history));
        }
    }

    /** The claimed turn's run was started (it now exists in the store). */
    void started(Claim claim, String message) {
        Conversation c = get(claim.conversation);
        synchronized (c) {
            c.pending = 0;
            c.turns = claim.turn;
            c.unread.add(new Unread(claim.turn, message));
        }
    }

    /** The claimed turn could not start: the number is free again. */
    void release(Claim claim) {
        Conversation c = get(claim.conversation);
        synchronized (c) {
            if (c.pending == claim.turn) c.pending = 0;
        }
    }

    private Conversation get(String conversation) {
        synchronized (cache) {
            return cache.computeIfAbsent(conversation, Conversation::new);
        }
    }

    private static RuncastException busy(String conversation, String run) {
        return new RuncastException(ErrorCode.CONVERSATION_BUSY, "conversation " + conversation
                + " is still answering its previous message (run " + run + "); wait for it to end or cancel it");
    }

    /** A turn started here whose answer has not been read back yet. */
    private record Unread(int turn, String message) {}

    private final class Conversation {
        final String id;
        boolean loaded;
        int turns;
        int pending;
        final List<ChatMessage> history = new ArrayList<>();
        final List<Unread> unread = new ArrayList<>();

        Conversation(String id) {
            this.id = id;
        }

        /** Finds the last turn in the store and reads every turn's message and answer. */
        void load() {
            int n = 0;
            while (engine.info(runOf(id, n + 1)).isPresent()) n++;
            for (int t = 1; t <= n; t++) read(t, null);
            turns = n;
            loaded = true;
        }

        /** Reads the answers of turns started here since the last claim; they have ended by now. */
        void catchUp() {
            for (Unread u : unread) read(u.turn, u.message);
            unread.clear();
        }

        private void read(int turn, String knownMessage) {
            String run = runOf(id, turn);
            String message = knownMessage;
            String answer = null;
            long after = 0;
            while (true) {
                History page = engine.read(run, after, PAGE);
                for (Event e : page.events()) {
                    if (message == null && e.type().equals(EventTypes.RUN_STARTED)) {
                        message = e.dataNode().path("message").asText(null);
                    } else if (e.type().equals(EventTypes.ANSWER_FINAL)) {
                        answer = e.dataNode().path("text").asText(null);
                    }
                }
                if (page.events().isEmpty() || page.events().get(page.events().size() - 1).seq() >= page.head()) break;
                after = page.events().get(page.events().size() - 1).seq();
            }
            if (message != null) history.add(ChatMessage.user(message));
            // a turn that failed or was cancelled before answering leaves the question without an answer:
            // the model sees that it was asked, and the next message may well be about it
            if (message != null && answer != null) history.add(ChatMessage.assistant(answer));
        }
    }
}
