package io.runcast.store;

import io.runcast.event.Event;

/** The outcome of one draft: the stored event, and whether it had been stored before under the same key. */
public record Appended(Event event, boolean duplicate) {}
