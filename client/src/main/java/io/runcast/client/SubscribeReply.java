package io.runcast.client;

/**
 * The server's answer to a (re)subscribe.
 *
 * @param run       the run
 * @param epoch     the run's current epoch, or null when it has no events yet
 * @param head      the run's last seq at subscribe time
 * @param first     the lowest retained seq
 * @param recovered false when the server could not resume from where the client was
 */
public record SubscribeReply(String run, String epoch, long head, long first, boolean recovered) {}
