package io.runcast.transport.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a bare socket, for pipelining tests: requests are written exactly as given (several in
 * one write if the test says so) and responses are read one by one off the wire, in the order the
 * server sent them.
 */
final class RawHttp implements AutoCloseable {
    /** One response as read; header names are lower case. */
    record Response(int status, Map<String, String> headers, String body) {}

    final Socket socket;
    private final DataInputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(15_000); // a failure guard only: every read waits for bytes the server must send
        in = new DataInputStream(socket.getInputStream());
    }

    /** A request with a JSON body, or none when {@code body} is null. */
    static String request(String method, String path, String body) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        if (body == null) return head + "\r\n";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return head + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n" + body;
    }

    /** Writes all the given requests with one write call. */
    void sendAll(String... requests) throws IOException {
        socket.getOutputStream().write(String.join("", requests).getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads the status line and headers of the next response. */
    Response readHead() throws IOException {
        String status = line();
        if (status == null) throw new EOFException("connection closed before a response");
        Map<String, String> headers = new TreeMap<>();
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, null);
    }

    /** Reads one whole response with a {@code Content-Length} body. */
    Response read() throws IOException {
        Response head = readHead();
        byte[] body = new byte[Integer.parseInt(head.headers().getOrDefault("content-length", "0"))];
        in.readFully(body);
        return new Response(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
    }

    /** Reads one chunk of a chunked body; null after the last (empty) chunk. */
    String readChunk() throws IOException {
        int size = Integer.parseInt(line().trim(), 16);
        byte[] b = new byte[size];
        in.readFully(b);
        line();
        return size == 0 ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** True once the server closed the connection (read returns end of stream). */
    boolean atEnd() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
