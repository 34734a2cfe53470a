package io.runcast.llm.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scripted OpenAI chat-completions server on a free loopback port, for tests: real HTTP/1.1 over a plain
 * {@link ServerSocket}, so every byte is the fake's own and every connection can be watched.
 *
 * <p>Each {@code POST …/chat/completions} takes the next {@link Reply} from the queue ({@link #enqueue}) and plays
 * it: an event stream shaped like OpenAI's ({@code Content-Type: text/event-stream}, chunked, {@code data: {json}}
 * per chunk, the usage chunk, {@code data: [DONE]}), an error status with OpenAI's JSON error body, or silence.
 * With the queue empty it answers 400 with a message saying so, so a test that sends more than it scripted fails
 * plainly. Another path answers 404 as the real API does. Connections are kept alive between requests, as the real
 * API keeps them.
 *
 * <p>Every request is recorded ({@link #requests()}, {@link #awaitRequest}); every connection is numbered from 0 in
 * the order accepted, and {@link #awaitClientClose} waits for the positive signal that the client closed one (the
 * fake read end-of-stream or a reset on it), never for the mere absence of traffic.
 *
 * <pre>{@code
 * try (FakeOpenAi fake = FakeOpenAi.start()) {
 *     fake.enqueue(Reply.text("Hello there", 3));
 *     LlmClient client = new LlmClient(LlmConfig.of(fake.baseUrl(), "gpt-test", null));
 *     ...
 *     assertThat(fake.awaitRequest(0, Duration.ofSeconds(5)).json().path("model").asText()).isEqualTo("gpt-test");
 * }
 * }</pre>
 */
public final class FakeOpenAi implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<FakeConnection> connections = new ArrayList<>();
    private volatile boolean closed;

    private FakeOpenAi() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "fake-openai-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a fake on a free port of 127.0.0.1. */
    public static FakeOpenAi start() {
        try {
            return new FakeOpenAi();
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind a loopback port", e);
        }
    }

    /** {@code http://127.0.0.1:PORT/v1}: the base URL an OpenAI client is configured with. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Adds replies to the queue; each chat-completions request takes the next one. */
    public FakeOpenAi enqueue(Reply... script) {
        synchronized (replies) {
            for (Reply reply : script) replies.addLast(reply);
        }
        return this;
    }

    /** The replies not yet taken. */
    public int pendingReplies() {
        synchronized (replies) {
            return replies.size();
        }
    }

    /** Every request so far, in order of arrival. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Request {@code index} (from 0), waiting for it up to {@code timeout}; throws {@link AssertionError} if it does not come. */
    public RecordedRequest awaitRequest(int index, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (requests.size() <= index) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("request #" + index + " did not arrive within " + timeout.toMillis() + "ms; " + requests.size() + " came");
                waitOn(requests, left);
            }
            return requests.get(index);
        }
    }

    /** How many connections have been accepted. */
    public int connectionCount() {
        synchronized (connections) {
            return connections.size();
        }
    }

    /** Whether the client has closed connection {@code connection} (from 0), as far as the fake has seen yet. */
    public boolean clientClosed(int connection) {
        synchronized (connections) {
            return connection < connections.size() && connections.get(connection).clientClosed.isDone();
        }
    }

    /**
     * Waits until the client closes connection {@code connection} (from 0; {@link RecordedRequest#connection()} says
     * which one a request came on): the fake read end-of-stream, or a reset, on it. A connection the fake closed
     * itself ({@link Reply#cut()}, {@link #close()}) does not count. Throws {@link AssertionError} after {@code timeout}.
     */
    public void awaitClientClose(int connection, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        FakeConnection c;
        synchronized (connections) {
            while (connections.size() <= connection) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("connection #" + connection + " was never opened");
                waitOn(connections, left);
            }
            c = connections.get(connection);
        }
        try {
            c.clientClosed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the client did not close connection #" + connection + " within " + timeout.toMillis() + "ms"
                    + (c.serverClosed ? " (the fake closed it itself)" : " (it is still open)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        synchronized (connections) {
            connections.forEach(FakeConnection::closeByServer);
        }
    }

    // ---- called by the connections

    Reply next() {
        synchronized (replies) {
            return replies.pollFirst();
        }
    }

    RecordedRequest record(int connection, String method, String path, Map<String, List<String>> headers, String body) {
        ObjectNode json;
        try {
            json = Json.parseObject(body);
        } catch (IllegalArgumentException notJson) {
            json = null;
        }
        synchronized (requests) {
            RecordedRequest request = new RecordedRequest(requests.size(), connection, method, path, Map.copyOf(headers), body, json);
            requests.add(request);
            requests.notifyAll();
            return request;
        }
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            FakeConnection connection;
            synchronized (connections) {
                connection = new FakeConnection(this, connections.size(), socket);
                connections.add(connection);
                connections.notifyAll();
                if (closed) connection.closeByServer();
            }
            Thread thread = new Thread(connection, "fake-openai-conn-" + connection.id);
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void waitOn(Object monitor, long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
