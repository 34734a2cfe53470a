package io.runcast.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.llm.fake.FakeOpenAi;
import io.runcast.llm.fake.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which failures are retried, how long the client waits, and what it says about it. */
class LlmClientRetryTest {
    private static final long WAIT_SECONDS = 10;
    private final FakeOpenAi fake = FakeOpenAi.start();
    /** Backoff 20ms × 2^n less 0..25% jitter; with the jitter source fixed at 0 the waits are exactly 20, 40, 80ms. */
    private final LlmConfig config = LlmConfig.of(fake.baseUrl(), "gpt-test", "sk-test")
            .withRetries(2, Duration.ofMillis(20), Duration.ofSeconds(60));
    private final LlmClient client = new LlmClient(config, () -> 0.0);

    @AfterEach
    void tearDown() {
        client.close();
        fake.close();
    }

    private CompletableFuture<Completion> stream(Recorder recorder) {
        return client.stream(ChatRequest.of(Messages.user("hi")), recorder).result();
    }

    private static LlmException failure(CompletableFuture<Completion> future) {
        ExecutionException thrown = (ExecutionException) org.assertj.core.api.Assertions.catchThrowable(
                () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(thrown).as("the call should have failed").isNotNull();
        return assertThat(thrown.getCause()).asInstanceOf(InstanceOfAssertFactories.type(LlmException.class)).actual();
    }

    @Test
    void status429_withRetryAfter_isRetriedAfterAtLeastTheServersWait_andReported() throws Exception {
        fake.enqueue(Reply.error(429, "Rate limit reached for gpt-test").retryAfter("1"), Reply.text("ok", 1));
        Recorder recorder = new Recorder();

        Completion done = stream(recorder).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(done.content()).isEqualTo("ok");
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(recorder.retries()).singleElement().satisfies(notice -> {
            assertThat(notice.retry()).isEqualTo(1);
            assertThat(notice.maxRetries()).isEqualTo(2);
            assertThat(notice.status()).isEqualTo(429);
            assertThat(notice.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(notice.reason()).contains("HTTP 429", "Rate limit reached for gpt-test");
        });
        assertThat(recorder.events()).containsExactly("retry:1:429:1000ms", "content:ok");
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void status500_isRetriedWithBackoff_thenSucceeds() throws Exception {
        fake.enqueue(Reply.error(500, "The server had an error"), Reply.text("fine", 1));
        Recorder recorder = new Recorder();

        Completion done = stream(recorder).get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(done.content()).isEqualTo("fine");
        assertThat(recorder.events()).containsExactly("retry:1:500:20ms", "content:fine");
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void status500_pastMaxRetries_failsWithTheStatusAndTheServersMessage() {
        fake.enqueue(Reply.error(503, "Overloaded, try later"), Reply.error(503, "Overloaded, try later"),
                Reply.error(503, "Overloaded, really"));
        Recorder recorder = new Recorder();

        LlmException e = failure(stream(recorder));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.HTTP_STATUS);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.serverMessage()).isEqualTo("Overloaded, really");
        assertThat(e.getMessage()).contains("HTTP 503", "/v1/chat/completions", "Overloaded, really", "3 attempts");
        assertThat(recorder.events()).containsExactly("retry:1:503:20ms", "retry:2:503:40ms");
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void status401_isNotRetried() {
        fake.enqueue(Reply.error(401, "Incorrect API key provided"), Reply.text("never", 1));
        Recorder recorder = new Recorder();

        LlmException e = failure(stream(recorder));

        assertThat(e.kind()).isEqualTo(LlmException.Kind.HTTP_STATUS);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).isEqualTo("HTTP 401 from POST " + config.endpoint() + ": Incorrect API key provided");
        assertThat(recorder.events()).isEmpty();
        assertThat(fake.requests()).hasSize(1);
        assertThat(fake.pendingReplies()).isEqualTo(1);
    }

    @Test
    void refusedConnection_isRetried_thenFailsAsConnectFailed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        LlmConfig nowhere = LlmConfig.of("http://127.0.0.1:" + closedPort + "/v1", "gpt-test", null)
                .withRetries(1, Duration.ofMillis(10), Duration.ofSeconds(1));
        Recorder recorder = new Recorder();
        try (LlmClient refused = new LlmClient(nowhere, () -> 0.0)) {
            LlmException e = failure(refused.stream(ChatRequest.of(Messages.user("hi")), recorder).result());

            assertThat(e.kind()).isEqualTo(LlmException.Kind.CONNECT_FAILED);
            assertThat(e.getMessage()).contains("could not connect to POST http://127.0.0.1:" + closedPort);
            assertThat(recorder.events()).containsExactly("retry:1:0:10ms");
        }
    }

    @Test
    void cancel_duringARetryWait_endsTheCallWithoutAnotherAttempt() throws Exception {
        fake.enqueue(Reply.error(429, "slow down").retryAfter("30"), Reply.text("never", 1));
        Recorder recorder = new Recorder();
        LlmCall call = client.stream(ChatRequest.of(Messages.user("hi")), recorder);
        recorder.awaitRetry();

        call.cancel();

        LlmException e = failure(call.result());
        assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED);
        assertThat(recorder.retries()).singleElement().satisfies(n -> assertThat(n.delay()).isEqualTo(Duration.ofSeconds(30)));
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void retryAfter_longerThanTheCap_isCappedAtRetryMaxBackoff() throws Exception {
        fake.enqueue(Reply.error(429, "slow down").retryAfter("3600"), Reply.text("ok", 1));
        Recorder recorder = new Recorder();
        LlmConfig capped = config.withRetries(1, Duration.ofMillis(10), Duration.ofMillis(50));
        try (LlmClient impatient = new LlmClient(capped, () -> 0.0)) {
            impatient.stream(ChatRequest.of(Messages.user("hi")), recorder).result().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(recorder.events()).containsExactly("retry:1:429:50ms", "content:ok");
    }

    @Test
    void aListenerThatThrowsOnRetry_failsTheCallWithWhatItThrew() {
        fake.enqueue(Reply.error(500, "boom"), Reply.text("never", 1));
        IllegalStateException oops = new IllegalStateException("listener broke");
        CompletableFuture<Completion> future = client.stream(ChatRequest.of(Messages.user("hi")), new LlmListener() {
            @Override
            public void onRetry(RetryNotice notice) {
                throw oops;
            }
        }).result();

        assertThatThrownBy(() -> future.get(WAIT_SECONDS, TimeUnit.SECONDS)).hasCause(oops);
    }
}
