package io.runcast.chats;

import java.util.Objects;

/**
 * One message of a conversation's history, in the roles chat models use.
 *
 * @param role    {@code user} or {@code assistant}
 * @param content the text
 */
public record ChatMessage(String role, String content) {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(ASSISTANT, content);
    }
}
