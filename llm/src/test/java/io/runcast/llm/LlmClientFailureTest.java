package io.runcast.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.runcast.llm.fake.FakeOpenAi;
import io.runcast.llm.fake.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a call ends when the stream does not: each failure has its kind, and every one that leaves the server
 * talking (timeouts, cancel, a malformed chunk) closes the connection, which the fake must see.
 */
class LlmClientFailureTest {
    private static final long WAIT_SECONDS = 10;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private final FakeOpenAi fake = FakeOpenAi.start();
    private final LlmConfig config = LlmConfig.of(fake.baseUrl(), "gpt-test", null)
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30));
    private LlmClient client = new LlmClient(config);

    @AfterEach
    void tearDown() {
        client.close();
        fake.close();
    }

    private LlmCall stream(LlmConfig settings, LlmListener listener) {
        client.close();
        client = new LlmClient(settings);
        return client.stream(ChatRequest.of(Messages.user("hi")), listener);
    }

    private static LlmException failure(CompletableFuture<Completion> future) {
        Throwable thrown = catchThrowable(() -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(thrown).as("the call should have failed").isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).isInstanceOf(LlmException.class);
        return (LlmException) thrown.getCause();
    }

    private int connectionOf(int request) {
        return fake.awaitRequest(request, CLOSE_WAIT).connection();
    }

    @Test
    void firstTokenTimeout_whenTheServerStallsBeforeAnyChunk_failsAndClosesTheConnection() {
        fake.enqueue(Reply.stream().stall());
        LlmCall call = stream(config.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(30)), LlmListener.NONE);

        LlmException e = failure(call.result());

        assertThat(e.kind()).isEqualTo(LlmException.Kind.FIRST_TOKEN_TIMEOUT);
        assertThat(e.getMessage()).contains("no token", "300ms", "the response had begun");
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void firstTokenTimeout_whenTheServerNeverSendsHeaders_failsAndClosesTheConnection() {
        fake.enqueue(Reply.noResponse());
        LlmCall call = stream(config.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofSeconds(30)), LlmListener.NONE);

        LlmException e = failure(call.result());

        assertThat(e.kind()).isEqualTo(LlmException.Kind.FIRST_TOKEN_TIMEOUT);
        assertThat(e.getMessage()).contains("no response headers");
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
    }

    @Test
    void idleTimeout_whenTheStreamStallsAfterSomeChunks_failsAndClosesTheConnection() {
        fake.enqueue(Reply.stream().content("Once ", "upon").stall());
        Recorder recorder = new Recorder();
        LlmCall call = stream(config.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(300)), recorder);

        LlmException e = failure(call.result());

        assertThat(e.kind()).isEqualTo(LlmException.Kind.IDLE_TIMEOUT);
        assertThat(e.getMessage()).contains("stalled", "300ms");
        assertThat(recorder.events()).containsExactly("content:Once ", "content:upon");
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
    }

    @Test
    void streamCutMidChunk_failsAsStreamBroken_andIsNotRetried() {
        fake.enqueue(Reply.stream().content("Hello").cut(), Reply.text("never", 1));
        Recorder recorder = new Recorder();
        LlmCall call = stream(config, recorder);

        LlmException e = failure(call.result());

        assertThat(e.kind()).isEqualTo(LlmException.Kind.STREAM_BROKEN);
        // By timing, the JDK reports the cut as an error mid-body ("broke … in the middle of a chunk, before
        // [DONE]"), as an early end ("ended … without [DONE]"), or, when the cut comes with the first chunk,
        // by failing the response itself ("ended before a response: chunked transfer encoding …", the
        // first delta then never reaching the listener). To a caller all three are the same broken stream.
        assertThat(e.getMessage()).containsAnyOf("in the middle of a chunk", "chunked transfer encoding");
        assertThat(recorder.events()).isSubsetOf("content:Hello");
        assertThat(fake.pendingReplies()).isEqualTo(1);
    }

    @Test
    void cancel_midStream_failsAsCancelled_andTheServerSeesTheConnectionClose() throws Exception {
        fake.enqueue(Reply.stream().content("Hel").stall());
        Recorder recorder = new Recorder();
        LlmCall call = stream(config, recorder);
        recorder.awaitContent();

        call.cancel();

        LlmException e = failure(call.result());
        assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED);
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
        assertThat(recorder.events()).containsExactly("content:Hel");
    }

    @Test
    void cancel_beforeTheResponseHeaders_closesTheConnection() {
        fake.enqueue(Reply.noResponse());
        LlmCall call = stream(config, LlmListener.NONE);
        int connection = connectionOf(0);

        call.cancel();

        assertThat(failure(call.result()).kind()).isEqualTo(LlmException.Kind.CANCELLED);
        fake.awaitClientClose(connection, CLOSE_WAIT);
    }

    @Test
    void cancellingTheFuture_alsoClosesTheConnection() throws Exception {
        fake.enqueue(Reply.stream().content("Hel").stall());
        Recorder recorder = new Recorder();
        LlmCall call = stream(config, recorder);
        recorder.awaitContent();

        call.result().cancel(true);

        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
    }

    @Test
    void closingTheClient_cancelsLiveCalls_andClosesTheirConnections() throws Exception {
        fake.enqueue(Reply.stream().content("Hel").stall());
        Recorder recorder = new Recorder();
        LlmCall call = stream(config, recorder);
        recorder.awaitContent();

        client.close();

        LlmException e = failure(call.result());
        assertThat(e.kind()).isEqualTo(LlmException.Kind.CANCELLED);
        assertThat(e.getMessage()).contains("client was closed");
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
    }

    @Test
    void malformedJsonChunk_failsAsMalformed_andClosesTheConnection() {
        fake.enqueue(Reply.stream().content("ok").raw("data: {\"choices\": [{\"delta\": \n\n").stall());
        LlmCall call = stream(config, LlmListener.NONE);

        LlmException e = failure(call.result());

        assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_CHUNK);
        assertThat(e.getMessage()).contains("not JSON", "{\"choices\": [{\"delta\":");
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
    }

    @Test
    void errorObjectMidStream_failsAsStreamError_withTheServersMessage() {
        fake.enqueue(Reply.stream().content("par").raw("data: {\"error\": {\"message\": \"model overloaded\", \"type\": \"server_error\"}}\n\n").stall());
        LlmCall call = stream(config, LlmListener.NONE);

        LlmException e = failure(call.result());

        assertThat(e.kind()).isEqualTo(LlmException.Kind.STREAM_ERROR);
        assertThat(e.serverMessage()).isEqualTo("model overloaded");
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
    }

    @Test
    void aListenerThatThrows_failsTheCallWithWhatItThrew_andClosesTheConnection() {
        fake.enqueue(Reply.stream().content("a", "b").stall());
        IllegalStateException oops = new IllegalStateException("listener broke");
        LlmCall call = stream(config, new LlmListener() {
            @Override
            public void onContent(String delta) {
                throw oops;
            }
        });

        Throwable thrown = catchThrowable(() -> call.result().get(WAIT_SECONDS, TimeUnit.SECONDS));

        assertThat(thrown).hasCause(oops);
        fake.awaitClientClose(connectionOf(0), CLOSE_WAIT);
    }
}
