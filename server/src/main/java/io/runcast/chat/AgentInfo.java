package io.runcast.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;

/** An agent a chat can name: its name, what it does, and whether it answers when none is named. */
public record AgentInfo(String name, String description, boolean isDefault) {
    public ObjectNode toJson() {
        return Json.object().put("name", name).put("description", description).put("default", isDefault);
    }
}
