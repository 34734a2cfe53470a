package io.runcast.store.sqlite;

import java.util.Locale;

/**
 * When the SQLite store tells a producer "accepted", and what that acknowledgement survives.
 *
 * <p>Every policy runs SQLite in WAL mode: a commit appends the batch's pages to the write-ahead log,
 * and readers keep reading while the single writer commits. The policies differ only in when the
 * log is forced to the disk platter ({@code fsync}). Because appends are group-committed, one fsync
 * covers every producer waiting at that moment, so {@link #FULL} costs far less than one fsync per
 * event.
 *
 * <table>
 *   <caption>What an acknowledged event survives</caption>
 *   <tr><th>policy</th><th>server process crash (kill -9, OOM)</th><th>OS crash or power loss</th></tr>
 *   <tr><td>FULL</td><td>kept</td><td>kept</td></tr>
 *   <tr><td>NORMAL</td><td>kept</td><td>the last commits before the loss may be gone; the file stays consistent</td></tr>
 *   <tr><td>OFF</td><td>kept</td><td>recent commits may be gone and the file may be corrupted</td></tr>
 * </table>
 */
public enum SyncPolicy {
    /**
     * WAL + {@code synchronous=FULL}: the log is fsynced before every commit is acknowledged. An
     * acknowledged event survives a process crash and a power loss.
     */
    FULL("FULL"),
    /**
     * WAL + {@code synchronous=NORMAL}: a commit is handed to the operating system before it is
     * acknowledged, and the log is fsynced only at checkpoints. Survives a crash of the server
     * process (the OS still writes the data out); a power loss or kernel crash may roll the database
     * back to an earlier, consistent commit, losing recently acknowledged events. The default: the
     * server process is what usually dies, and this keeps every acknowledged event through that.
     */
    NORMAL("NORMAL"),
    /**
     * WAL + {@code synchronous=OFF}: no fsync at all. Survives a crash of the server process; a power
     * loss or kernel crash may lose acknowledged events and can corrupt the data file. For benchmarks
     * and throw-away data only.
     */
    OFF("OFF");

    public static final SyncPolicy DEFAULT = NORMAL;

    private final String pragma;

    SyncPolicy(String pragma) {
        this.pragma = pragma;
    }

    /** The value of SQLite's {@code PRAGMA synchronous}. */
    String pragma() {
        return pragma;
    }

    /** Parses {@code full}, {@code normal} or {@code off} (any case), as given on the command line. */
    public static SyncPolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("sync policy must be one of full, normal, off; was " + text);
        }
    }
}
