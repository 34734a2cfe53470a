package io.runcast.store;

import io.runcast.event.Event;
import java.util.List;

/**
 * A page of a run's history.
 *
 * @param epoch  the run's epoch, or null when the run is unknown
 * @param first  the lowest seq still retained (head + 1 when nothing is retained)
 * @param head   the run's last assigned seq (0 when unknown or empty)
 * @param events the page, in seq order
 */
public record History(String epoch, long first, long head, List<Event> events) {
    public static final History UNKNOWN = new History(null, 1, 0, List.of());

    public History {
        events = List.copyOf(events);
    }

    /** True when everything after {@code since} is still retained (so a resume from it is gapless). */
    public boolean covers(long since) {
        return since + 1 >= first;
    }
}
