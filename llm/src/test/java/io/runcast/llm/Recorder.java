package io.runcast.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A listener that writes down every callback, in order, as a short line; tests compare the lines. */
final class Recorder implements LlmListener {
    private final List<String> events = new ArrayList<>();
    private final List<RetryNotice> retries = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();
    private final CountDownLatch firstContent = new CountDownLatch(1);
    private final CountDownLatch firstRetry = new CountDownLatch(1);

    @Override
    public synchronized void onContent(String delta) {
        record("content:" + delta);
        firstContent.countDown();
    }

    @Override
    public synchronized void onReasoning(String delta) {
        record("reasoning:" + delta);
    }

    @Override
    public synchronized void onToolCallStart(int index, String id, String name) {
        record("tool:" + index + ":" + id + ":" + name);
    }

    @Override
    public synchronized void onRetry(RetryNotice notice) {
        retries.add(notice);
        record("retry:" + notice.retry() + ":" + notice.status() + ":" + notice.delay().toMillis() + "ms");
        firstRetry.countDown();
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<RetryNotice> retries() {
        return List.copyOf(retries);
    }

    synchronized List<String> threads() {
        return List.copyOf(threads);
    }

    void awaitContent() throws InterruptedException {
        if (!firstContent.await(10, TimeUnit.SECONDS)) throw new AssertionError("no content delta arrived");
    }

    void awaitRetry() throws InterruptedException {
        if (!firstRetry.await(10, TimeUnit.SECONDS)) throw new AssertionError("no retry notice arrived");
    }

    private void record(String line) {
        events.add(line);
        threads.add(Thread.currentThread().getName());
    }
}
