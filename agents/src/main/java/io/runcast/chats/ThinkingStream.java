package io.runcast.chats;

import io.runcast.producer.RunHandle;

/**
 * Turns reasoning that arrives token by token into {@code agent.thinking} events a person can read: one
 * event per paragraph, or per sentence once a paragraph runs long, instead of one per token. Models
 * stream reasoning in tiny deltas; an event each would flood every watcher for no gain, while a
 * paragraph still shows the thinking as it happens. Not thread-safe: one per stream.
 */
public final class ThinkingStream {
    /** A paragraph longer than this is cut at its next sentence end. */
    static final int LONG = 400;

    private final RunHandle out;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder all = new StringBuilder();

    public ThinkingStream(RunHandle out) {
        this.out = out;
    }

    /** Adds a delta; emits whatever paragraphs (or long-paragraph sentences) it completes. */
    public void add(String delta) {
        if (delta == null || delta.isEmpty()) return;
        pending.append(delta);
        all.append(delta);
        int cut;
        while ((cut = cutPoint()) > 0) {
            emit(pending.substring(0, cut));
            pending.delete(0, cut);
        }
    }

    /** Emits what is left (the reasoning ended, or the answer or a tool call begins). */
    public void flush() {
        emit(pending.toString());
        pending.setLength(0);
    }

    /** Everything added so far. */
    public String text() {
        return all.toString();
    }

    private int cutPoint() {
        int para = pending.indexOf("\n\n");
        if (para >= 0) return para + 2;
        if (pending.length() < LONG) return 0;
        for (int i = LONG - 1; i < pending.length() - 1; i++) {
            char c = pending.charAt(i);
            if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(pending.charAt(i + 1))) return i + 2;
        }
        return 0;
    }

    private void emit(String text) {
        String t = text.strip();
        if (!t.isEmpty()) out.thinking(t);
    }
}
