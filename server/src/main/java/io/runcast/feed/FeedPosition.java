package io.runcast.feed;

/**
 * Where the run feed stands: what a client that has just loaded the run list passes to
 * {@code subscribe} as {@code since} and {@code epoch}. Read it <em>before</em> the list, so that every
 * change the list does not show yet comes after it in the feed.
 *
 * @param run   the feed's name, {@value RunFeed#RUN}
 * @param epoch the feed's epoch: a new one every time the server starts
 * @param head  the seq of the feed's latest event
 */
public record FeedPosition(String run, String epoch, long head) {}
