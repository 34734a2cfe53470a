package io.runcast.agent;

/**
 * Nobody answered a decision in time and it has no default: the step fails (it is not retried,
 * since asking again would most likely time out again).
 */
public final class DecisionTimeoutException extends RuntimeException {
    public DecisionTimeoutException(String decision) {
        super("decision " + decision + " timed out with no default");
    }
}
