package io.runcast.control;

import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.engine.Engine;
import io.runcast.store.History;

/**
 * Finds a decision in a run's retained history. The control normally learns decisions from the live
 * stream; this covers the ones it never saw — requested before this server started (durable store) or
 * committed through another node (distributed store).
 */
final class DecisionHistory {
    /** How far back from the head a lookup reads; a miss costs at most this many events. */
    static final int SCAN = 10_000;

    record Found(Event request, boolean resolved) {}

    private DecisionHistory() {}

    /** The request of decision {@code id} and whether it was resolved, or null when it is not in the scanned history. */
    static Found find(Engine store, String run, String id, long head) {
        long after = Math.max(0, head - SCAN);
        Event request = null;
        boolean resolved = false;
        while (after < head) {
            History page = store.read(run, after, 1000);
            if (page.events().isEmpty()) break;
            for (Event e : page.events()) {
                after = e.seq();
                boolean asked = e.type().equals(EventTypes.DECISION_REQUESTED);
                if (!asked && !e.type().equals(EventTypes.DECISION_RESOLVED)) continue;
                if (!e.data().contains(id) || !id.equals(e.dataNode().path("decision").asText(null))) continue;
                if (asked && request == null) request = e;
                if (!asked) resolved = true;
            }
        }
        return request == null ? null : new Found(request, resolved);
    }
}
