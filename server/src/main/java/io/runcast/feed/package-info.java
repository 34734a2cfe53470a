/**
 * The run feed: one stream, named {@value io.runcast.feed.RunFeed#RUN}, that tells watchers of the
 * run list what changed — a run was created, a run's status changed, and (at most once per
 * {@link io.runcast.feed.FeedConfig#progressInterval()}) whose head and progress moved — so that a
 * dashboard or {@code runcast tail --all} follows every run without polling {@code GET /api/runs}.
 *
 * <p>The feed is an ordinary stream held in its own bounded memory store and served by its own
 * {@link io.runcast.hub.Hub}: subscribe, resume with {@code since}/{@code epoch}, {@code recovered:false},
 * type filters, slow-consumer cut-offs and SSE work exactly as for runs. Its name lies outside the
 * run-id alphabet, so no producer can publish to it.
 */
package io.runcast.feed;
