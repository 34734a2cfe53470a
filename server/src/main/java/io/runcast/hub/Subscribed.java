package io.runcast.hub;

/**
 * The answer to a subscribe, sent before any event of the subscription.
 *
 * @param run       the run
 * @param epoch     the run's current epoch, or null when the run has no events yet
 * @param head      the run's last seq when the subscription was made
 * @param first     the lowest seq still retained
 * @param recovered true when every event after the asked-for position will be delivered; false when
 *                  part of that history is gone (trimmed, the epoch changed, or the client is ahead of
 *                  the store) — delivery then starts at {@code first} and the client must treat its own
 *                  state as incomplete. Decided by {@link ResumePoint}.
 */
public record Subscribed(String run, String epoch, long head, long first, boolean recovered) {}
