package io.runcast.engine;

import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.Appended;
import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The in-process entry to Runcast's runs: validates what producers send, appends it to the store
 * (which sequences it and tells its commit listener — the hub among others), and answers questions
 * about runs. Transports, run control and the Java producer API all come through here rather than to
 * the store, so every way in applies the same checks and sees the same view.
 */
public final class Engine {
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._:\\-]+");

    private final EventStore store;
    private final Limits limits;

    public Engine(EventStore store, Limits limits) {
        this.store = store;
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Validates and appends drafts to a run. The stage fails with a {@link RuncastException}
     * ({@code INVALID_RUN}, {@code INVALID_TYPE}, {@code TOO_LARGE}, {@code BAD_REQUEST},
     * {@code RUN_CLOSED}, {@code UNAVAILABLE}); a refused batch appends nothing.
     */
    public CompletionStage<List<Appended>> publish(String run, List<EventDraft> drafts) {
        try {
            checkRun(run);
            check(drafts);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store.append(run, drafts);
    }

    public CompletionStage<Appended> publish(String run, EventDraft draft) {
        return publish(run, List.of(draft)).thenApply(list -> list.get(0));
    }

    public Optional<RunInfo> info(String run) {
        return store.info(run);
    }

    /** Up to {@code limit} retained events after seq {@code after}; see {@link EventStore#read}. May block on disk. */
    public History read(String run, long after, int limit) {
        return store.read(run, after, limit);
    }

    /** Runs, most recently created first; see {@link EventStore#list}. May block on disk. */
    public List<RunInfo> list(int limit, boolean openOnly) {
        return store.list(limit, openOnly);
    }

    /** The store's kind ("memory", "sqlite" …), for health and logs. */
    public String storeKind() {
        return store.kind();
    }

    /** Throws INVALID_RUN unless the id is 1..maxNameLength characters of [A-Za-z0-9._:-]. */
    public void checkRun(String run) {
        if (run == null || run.isEmpty() || run.length() > limits.maxNameLength() || !RUN_ID.matcher(run).matches()) {
            throw new RuncastException(ErrorCode.INVALID_RUN,
                    "run id must be 1.." + limits.maxNameLength() + " characters of [A-Za-z0-9._:-]");
        }
    }

    private void check(List<EventDraft> drafts) {
        if (drafts == null || drafts.isEmpty()) throw new RuncastException(ErrorCode.BAD_REQUEST, "no events given");
        if (drafts.size() > limits.maxBatch()) {
            throw new RuncastException(ErrorCode.TOO_LARGE, "at most " + limits.maxBatch() + " events per publish");
        }
        for (EventDraft d : drafts) {
            if (!EventTypes.isPublishable(d.type())) {
                throw new RuncastException(ErrorCode.INVALID_TYPE,
                        "unknown event type '" + d.type() + "': use a catalogue type or one under x.");
            }
            if (d.data().length() > limits.maxEventBytes()) {
                throw new RuncastException(ErrorCode.TOO_LARGE, "event data exceeds " + limits.maxEventBytes() + " bytes");
            }
            if (!d.data().startsWith("{")) throw new RuncastException(ErrorCode.BAD_REQUEST, "data must be a JSON object");
            checkName("step", d.step());
            checkName("agent", d.agent());
            checkName("key", d.key());
        }
    }

    private void checkName(String field, String value) {
        if (value != null && (value.isEmpty() || value.length() > limits.maxNameLength())) {
            throw new RuncastException(ErrorCode.BAD_REQUEST, field + " must be 1.." + limits.maxNameLength() + " characters");
        }
    }
}
