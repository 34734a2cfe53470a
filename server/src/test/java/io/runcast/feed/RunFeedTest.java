package io.runcast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.store.memory.MemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed's contract against a real memory store, without sockets. */
class RunFeedTest {
    private final MemoryEventStore runs = new MemoryEventStore();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private RunFeed feed;
    private FeedRecorder rec;

    @BeforeEach
    void open() {
        feed = new RunFeed(runs, pool, timers, FeedConfig.DEFAULT.withProgressInterval(Duration.ofMillis(50)));
        runs.listener(feed);
        rec = FeedRecorder.follow(feed);
        await().until(() -> rec.subscribed.get() != null);
    }

    @AfterEach
    void close() {
        feed.close();
        runs.close();
        pool.shutdownNow();
        timers.shutdownNow();
    }

    private List<Event> append(String run, String... types) {
        List<EventDraft> drafts = new ArrayList<>();
        for (String t : types) drafts.add(new EventDraft(t, null, null, t.equals("run.cancelled") ? "{\"reason\":\"enough\"}" : "{}", null));
        return runs.append(run, drafts).toCompletableFuture().join().stream().map(a -> a.event()).toList();
    }

    private static String line(JsonNode d) {
        return d.path("status").asText() + "@" + d.path("head").asLong() + (d.has("reason") ? " " + d.path("reason").asText() : "");
    }

    /** Waits until a progress summary lists the run at this head: every summary before it has been delivered. */
    private void awaitProgress(String run, long head) {
        await().until(() -> rec.progressOf(run).stream().anyMatch(p -> p.path("head").asLong() == head));
    }

    @Test
    void feed_opensWithItsOwnEvent_andPositionIsItsHead() {
        FeedPosition p = feed.position();
        assertThat(p.run()).isEqualTo("$runs");
        assertThat(p.head()).isEqualTo(1);
        assertThat(p.epoch()).isNotBlank();
        assertThat(feed.hub().subscribers(RunFeed.RUN)).isEqualTo(1);
    }

    @Test
    void statusChanges_onlyWhenTheStatusChanges_inSeqOrder() {
        append("s", "run.started");
        append("s", "run.started", "run.paused");
        append("s", "run.paused");
        append("s", "run.resumed", "agent.thinking");
        append("s", "run.cancelled");
        await().until(() -> rec.about("s").size() == 4);
        assertThat(rec.about("s")).map(RunFeedTest::line).containsExactly("running@1", "paused@3", "running@5", "cancelled@7 enough");
        assertThat(rec.of(RunFeed.CREATED)).singleElement().satisfies(e -> assertThat(e.dataNode().path("run").asText()).isEqualTo("s"));
        JsonNode cancelled = rec.about("s").get(3);
        assertThat(cancelled.path("created").asText()).isEqualTo(rec.about("s").get(0).path("created").asText());
        assertThat(cancelled.path("updated").asText()).isEqualTo(runs.info("s").orElseThrow().updatedAt().toString());
        assertThat(feed.tracked()).as("a run's tracker goes with its terminal event").isZero();
    }

    @Test
    void runBornEnded_isCreatedWithItsFinalStatus_andNeverListedInProgress() {
        append("once", "run.completed");
        append("both", "run.started", "run.failed");
        append("later", "agent.thinking");
        awaitProgress("later", 1); // a summary ran after "once" and "both" were recorded
        assertThat(rec.about("once")).map(RunFeedTest::line).containsExactly("completed@1");
        assertThat(rec.about("both")).map(RunFeedTest::line).containsExactly("running@1", "failed@2");
        assertThat(rec.progressOf("once")).isEmpty();
        assertThat(rec.progressOf("both")).isEmpty();
    }

    @Test
    void runFirstSeenMidLife_isAnnouncedWithTheStoresCreationTime_butNotAsCreated() {
        runs.listener(null);
        append("old", "run.started", "agent.thinking");
        runs.listener(feed); // as after a restart of a durable store: the feed never saw seq 1
        append("old", "run.paused");
        await().until(() -> rec.about("old").size() == 1);
        JsonNode paused = rec.about("old").get(0);
        assertThat(line(paused)).isEqualTo("paused@3");
        assertThat(paused.path("created").asText()).isEqualTo(runs.info("old").orElseThrow().createdAt().toString());
        assertThat(rec.of(RunFeed.CREATED)).isEmpty();
    }

    @Test
    void progress_listsRunsWhoseHeadMoved_withTheLatestFigure() {
        runs.append("p", List.of(new EventDraft("run.started", null, null, "{\"steps\":2}", null),
                new EventDraft("step.completed", "a", null, "{}", null),
                new EventDraft("step.progress", "b", null, "{\"progress\":40,\"message\":\"reading\"}", null))).toCompletableFuture().join();
        awaitProgress("p", 3);
        JsonNode entry = rec.progressOf("p").get(rec.progressOf("p").size() - 1);
        assertThat(entry.path("progress").asDouble()).isEqualTo(70.0);
        assertThat(entry.path("step").asText()).isEqualTo("b");
        assertThat(entry.path("note").asText()).isEqualTo("reading");
        assertThat(rec.progressOf("p")).extracting(p -> p.path("head").asLong()).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void concurrentProducers_eachRunIsCreatedBeforeAnythingElseIsSaidAboutIt() throws Exception {
        int threads = 4, perThread = 50;
        List<Future<?>> done = new ArrayList<>();
        ExecutorService producers = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(producers.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String run = "c" + id + "-" + i;
                        append(run, "agent.thinking");
                        append(run, "step.progress", "run.paused");
                        append(run, "run.resumed");
                        if (i % 2 == 0) append(run, "run.completed");
                    }
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            producers.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rec.of(RunFeed.CREATED).count() == threads * perThread
                && rec.of(RunFeed.STATUS).count() == threads * perThread * 5L / 2);
        List<Long> seqs = rec.events.stream().map(Event::seq).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        java.util.Set<String> created = new java.util.HashSet<>();
        for (Event e : rec.events) {
            if (e.type().equals(RunFeed.CREATED)) created.add(e.dataNode().path("run").asText());
            else if (e.type().equals(RunFeed.STATUS)) assertThat(created).contains(e.dataNode().path("run").asText());
            else if (e.type().equals(RunFeed.PROGRESS)) e.dataNode().path("runs").forEach(p -> assertThat(created).contains(p.path("run").asText()));
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                String run = "c" + t + "-" + i;
                List<String> expected = i % 2 == 0
                        ? List.of("running@1", "paused@3", "running@4", "completed@5")
                        : List.of("running@1", "paused@3", "running@4");
                assertThat(rec.about(run)).map(RunFeedTest::line).as(run).isEqualTo(expected);
            }
        }
        await().until(() -> feed.tracked() == threads * perThread / 2); // the open half
    }
}
