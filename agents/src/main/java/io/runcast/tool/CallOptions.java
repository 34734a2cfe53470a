package io.runcast.tool;

import java.time.Duration;

/**
 * How the dispatcher runs one call.
 *
 * @param fresh           skip the cache lookup and run the tool, then store the new result ({@code cache: "bypass"})
 * @param timeout         how long the tool may run before the call ends with a timed-out error (time the
 *                        run spends paused counts: a tool waiting in {@code checkpoint()} is still running)
 * @param approvalTimeout how long to wait for a person to approve a tool that needs it; no answer means deny
 */
public record CallOptions(boolean fresh, Duration timeout, Duration approvalTimeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofMinutes(2);
    public static final CallOptions DEFAULT = new CallOptions(false, DEFAULT_TIMEOUT, DEFAULT_APPROVAL_TIMEOUT);

    public CallOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (approvalTimeout == null || approvalTimeout.isNegative() || approvalTimeout.isZero()) {
            throw new IllegalArgumentException("approval timeout must be positive");
        }
    }

    public CallOptions withFresh(boolean fresh) {
        return new CallOptions(fresh, timeout, approvalTimeout);
    }

    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(fresh, timeout, approvalTimeout);
    }

    public CallOptions withApprovalTimeout(Duration approvalTimeout) {
        return new CallOptions(fresh, timeout, approvalTimeout);
    }
}
