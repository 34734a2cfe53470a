package io.runcast.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;

/** Checks an answer against a {@code decision.requested} payload. */
final class Choices {
    /** The choice that skips a decision whose request says {@code can_skip: true}. */
    static final String SKIP = "skip";

    private Choices() {}

    /**
     * Accepts the choice when the request has no options (free-form), when it is {@code "skip"} and
     * skipping is allowed, or when it equals an option — or an option's {@code value}/{@code id}
     * when options are objects (seed 003 sends {@code {"id","label"}} options).
     */
    static void check(ObjectNode request, JsonNode choice) {
        if (choice == null || choice.isNull() || choice.isMissingNode()) {
            throw new RuncastException(ErrorCode.INVALID_CHOICE, "a choice is required");
        }
        if (choice.isTextual() && SKIP.equals(choice.asText()) && request.path("can_skip").asBoolean(false)) return;
        JsonNode options = request.path("options");
        if (!options.isArray() || options.isEmpty()) return;
        for (JsonNode option : options) {
            if (option.equals(choice)) return;
            if (option.isObject() && (choice.equals(option.get("value")) || choice.equals(option.get("id")))) return;
        }
        throw new RuncastException(ErrorCode.INVALID_CHOICE,
                "choice " + choice + " is not one of " + options + (request.path("can_skip").asBoolean(false) ? " or \"skip\"" : ""));
    }
}
