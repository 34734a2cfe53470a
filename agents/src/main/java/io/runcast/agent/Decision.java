package io.runcast.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer to a human decision.
 *
 * @param id       the decision id
 * @param choice   the chosen option, the default after a timeout, or {@code "skip"}; never null
 * @param by       who answered: a connection id, a principal, or {@code "timeout"}
 * @param timedOut true when nobody answered in time and the default was taken
 * @param skipped  true when the decision was skipped
 */
public record Decision(String id, JsonNode choice, String by, boolean timedOut, boolean skipped) {
    /** The choice as text (for string options). */
    public String text() {
        return choice.asText();
    }
}
