package io.runcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client over a bare socket that does only what a test tells it: it never answers pings
 * and never reads unless asked, so tests can play silent or stalled clients.
 */
public final class RawWsClient implements AutoCloseable {
    /** One frame as read off the wire. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
        }
    }

    public final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWsClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the opening handshake (RFC 6455 4.1: wait for the response before sending). */
    public static RawWsClient connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        RawWsClient c = new RawWsClient(s);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        c.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        c.out.flush();
        InputStream raw = s.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = raw.read();
            if (b < 0) throw new IOException("closed during handshake");
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return c;
    }

    public void sendText(String text) throws IOException {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        if (p.length > 125) throw new IllegalArgumentException("tests send short frames only");
        byte[] f = new byte[6 + p.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) (0x80 | p.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < p.length; i++) f[6 + i] = (byte) (p[i] ^ mask[i % 4]);
        out.write(f);
        out.flush();
    }

    /**
     * Sends only the header of a masked frame that announces {@code length} payload bytes, and none of
     * them: shows how the server treats a frame by its header alone, with no unread bytes left behind
     * that would make its close a reset.
     */
    public void sendHeader(int opcode, long length) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (length <= 125) {
            f.write(0x80 | (int) length);
        } else if (length <= 0xffff) {
            f.write(0x80 | 126);
            f.write((int) (length >> 8) & 0xff);
            f.write((int) length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) f.write((int) (length >> shift) & 0xff);
        }
        f.write(new byte[] {1, 2, 3, 4}); // the masking key
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads one frame; null at end of stream. */
    public Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) return null;
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = in.readLong();
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads until a close frame and returns its code; -1 when the stream ends (even mid-frame) without one. */
    public int readUntilClose() throws IOException {
        try {
            for (Frame f; (f = read()) != null; ) if (f.opcode() == 8) return f.closeCode();
        } catch (java.io.EOFException | java.net.SocketException e) {
            // the server dropped the connection with a frame half sent
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
