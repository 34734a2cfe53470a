package io.runcast.event;

/** Where a run stands, derived from its lifecycle events. */
public enum RunStatus {
    RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED;

    public boolean isClosed() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** The status after an event of this type; non-lifecycle types leave it unchanged. */
    public RunStatus after(String type) {
        return switch (type) {
            case EventTypes.RUN_PAUSED -> PAUSED;
            case EventTypes.RUN_RESUMED, EventTypes.RUN_STARTED -> RUNNING;
            case EventTypes.RUN_COMPLETED -> COMPLETED;
            case EventTypes.RUN_FAILED -> FAILED;
            case EventTypes.RUN_CANCELLED -> CANCELLED;
            default -> this;
        };
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
