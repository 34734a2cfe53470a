package io.runcast.transport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live connections of this server, for {@code GET /api/clients} and health. Thread-safe. */
public final class Connections {
    /** One connection as reported to operators. */
    public record Client(String connection, String transport, String remote, Instant connected, Set<String> runs) {}

    private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, java.util.function.Consumer<io.runcast.protocol.CloseCode>> closers = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    /** A new connection id: short, unique per server process. */
    public String nextId(String prefix) {
        return prefix + Long.toString(counter.incrementAndGet(), 36) + "-" + Long.toString(System.nanoTime() & 0xffffff, 36);
    }

    /**
     * Registers a connection; {@code runs} is the connection's own live set of subscribed runs, and
     * {@code closer} closes it with a code (used when the server shuts down).
     */
    public void add(String id, String transport, String remote, Set<String> runs,
                    java.util.function.Consumer<io.runcast.protocol.CloseCode> closer) {
        clients.put(id, new Client(id, transport, remote, Instant.now(), runs));
        closers.put(id, closer);
    }

    public void remove(String id) {
        clients.remove(id);
        closers.remove(id);
    }

    /** Closes every connection with {@code code}, so clients know to reconnect rather than see a dropped socket. */
    public void closeAll(io.runcast.protocol.CloseCode code) {
        closers.values().forEach(c -> c.accept(code));
    }

    public int size() {
        return clients.size();
    }

    public List<Client> list() {
        List<Client> out = new ArrayList<>(clients.values());
        out.sort(Comparator.comparing(Client::connected));
        return out;
    }
}
