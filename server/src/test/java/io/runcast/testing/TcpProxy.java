package io.runcast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between clients and a server, to cut the network in tests: {@link #cutAll()} resets
 * every connection, {@link #down(boolean)} refuses new ones, {@link #freeze(boolean)} stops forwarding
 * bytes while keeping the sockets open (a silently dead network, which only a heartbeat notices),
 * {@link #dropAnswers(int)} lets requests through but resets the connection instead of passing the
 * server's answer back (the request happened; the client cannot know).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean down;
    private volatile boolean frozen;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger answersToDrop = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger answersDropped = new java.util.concurrent.atomic.AtomicInteger();

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (down) {
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (frozen && !from.isClosed()) Thread.sleep(20);
                    if (answers && answersToDrop.getAndUpdate(d -> Math.max(0, d - 1)) > 0) {
                        answersDropped.incrementAndGet();
                        return; // finally resets both sides: the answer never arrives
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side or cutAll closed it
            } finally {
                reset(from);
                reset(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Resets every open connection (both sides see the TCP connection die, no close handshake). */
    public void cutAll() {
        for (Socket s : sockets) reset(s);
    }

    /** While down, new connections are accepted and reset at once. */
    public void down(boolean isDown) {
        this.down = isDown;
    }

    /** The next {@code n} answers (first bytes from the server on a connection) are dropped with their connection. */
    public void dropAnswers(int n) {
        answersToDrop.set(n);
    }

    /** How many answers {@link #dropAnswers} has dropped so far. */
    public int answersDropped() {
        return answersDropped.get();
    }

    /** While frozen, no byte passes in either direction but the sockets stay open. */
    public void freeze(boolean isFrozen) {
        this.frozen = isFrozen;
    }

    private void reset(Socket s) {
        sockets.remove(s);
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        cutAll();
    }
}
