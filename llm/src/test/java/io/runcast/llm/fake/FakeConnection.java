package io.runcast.llm.fake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One accepted socket of a {@link FakeOpenAi}: reads requests, plays their replies, notices who closes it. */
final class FakeConnection implements Runnable {
    private static final int MAX_HEAD = 64 * 1024;
    private static final Map<Integer, String> REASONS = Map.of(200, "OK", 400, "Bad Request", 401, "Unauthorized", 403, "Forbidden",
            404, "Not Found", 429, "Too Many Requests", 500, "Internal Server Error", 502, "Bad Gateway",
            503, "Service Unavailable", 504, "Gateway Timeout");

    final int id;
    final CompletableFuture<Void> clientClosed = new CompletableFuture<>();
    volatile boolean serverClosed;
    private final FakeOpenAi fake;
    private final Socket socket;
    private InputStream in;
    private OutputStream out;

    /** The client went away: thrown out of whatever the connection was doing. */
    static final class Gone extends Exception {
        Gone() {
            super(null, null, false, false);
        }
    }

    FakeConnection(FakeOpenAi fake, int id, Socket socket) {
        this.fake = fake;
        this.id = id;
        this.socket = socket;
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            while (true) {
                RecordedRequest request = readRequest();
                serve(request);
                if (serverClosed) return;
            }
        } catch (Gone | IOException e) {
            if (!serverClosed) clientClosed.complete(null);
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }
    }

    void closeByServer() {
        serverClosed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    // ---- requests

    private RecordedRequest readRequest() throws IOException, Gone {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b == -1) throw new Gone();
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) throw new IOException("request head too long");
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
        }
        byte[] body;
        String length = first(headers, "content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(first(headers, "transfer-encoding"))) {
            body = readChunked();
        } else {
            body = new byte[0];
        }
        return fake.record(id, requestLine[0], requestLine.length > 1 ? requestLine[1] : "", headers, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] readChunked() throws IOException, Gone {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine();
            int n = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (n == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            readLine();
        }
    }

    private String readLine() throws IOException, Gone {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) throw new Gone();
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    // ---- replies

    private void serve(RecordedRequest request) throws IOException, Gone {
        String path = request.path().split("\\?")[0];
        if (!request.method().equals("POST") || !path.endsWith("/chat/completions")) {
            error(404, "Invalid URL (" + request.method() + " " + request.path() + ")", Map.of());
            return;
        }
        Reply reply = fake.next();
        if (reply == null) {
            error(400, "FakeOpenAi has no reply scripted for request #" + request.index(), Map.of());
            return;
        }
        switch (reply.kind) {
            case ERROR -> error(reply.status, reply.errorMessage, reply.headers);
            case NO_RESPONSE -> awaitClientClose();
            case STREAM -> new StreamPlayer(this, reply, request).play();
        }
    }

    private void error(int status, String message, Map<String, String> extra) throws IOException {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error").put("message", message);
        switch (status) {
            case 401 -> error.put("type", "invalid_request_error").putNull("param").put("code", "invalid_api_key");
            case 404 -> error.put("type", "invalid_request_error").putNull("param").putNull("code");
            case 429 -> error.put("type", "requests").putNull("param").put("code", "rate_limit_exceeded");
            default -> error.put("type", status >= 500 ? "server_error" : "invalid_request_error").putNull("param").putNull("code");
        }
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = statusLine(status).append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    StringBuilder statusLine(int status) {
        return new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(REASONS.getOrDefault(status, "Error")).append("\r\n")
                .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n")
                .append("Connection: keep-alive\r\n")
                .append("x-request-id: req_fake_").append(id).append("\r\n");
    }

    /** Blocks until the client closes the connection (or the fake is closed). */
    void awaitClientClose() throws IOException, Gone {
        socket.setSoTimeout(0);
        while (in.read() != -1) {
            // whatever the client sends now is not a request the fake will answer
        }
        throw new Gone();
    }

    /** Waits {@code duration}, or less if the client closes the connection meanwhile. */
    void pause(Duration duration) throws IOException, Gone {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                in.mark(1);
                if (in.read() == -1) throw new Gone();
                in.reset();
                return;
            } catch (SocketTimeoutException timeUp) {
                // the time passed quietly
            } finally {
                socket.setSoTimeout(0);
            }
        }
    }

    /** Writes bytes of the body as HTTP chunks, each at most {@code fragment} bytes (0: one chunk), flushing each. */
    void writeChunks(byte[] bytes, int fragment) throws IOException {
        int size = fragment > 0 ? fragment : Math.max(1, bytes.length);
        for (int from = 0; from < bytes.length; from += size) {
            int n = Math.min(size, bytes.length - from);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes, from, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    void writeRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
