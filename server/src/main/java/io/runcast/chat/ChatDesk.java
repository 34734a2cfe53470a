package io.runcast.chat;

import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.ChatStarted;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The server's slot for a {@link ChatService}. The server starts before its agents can (they need its
 * engine and run control), so the service is installed afterwards; until then, and on a server that
 * runs no agents, a chat is refused with {@code unavailable} and an explanation. Thread-safe.
 */
public final class ChatDesk implements ChatService {
    private volatile ChatService installed;

    /** Installs the service that answers chats from now on; once. */
    public synchronized void install(ChatService service) {
        if (installed != null) throw new IllegalStateException("a chat service is already installed");
        installed = service;
    }

    public boolean ready() {
        return installed != null;
    }

    @Override
    public CompletionStage<ChatStarted> start(ChatRequest request, String by) {
        ChatService s = installed;
        if (s == null) {
            return CompletableFuture.failedFuture(new RuncastException(ErrorCode.UNAVAILABLE,
                    "this server runs no chat agents (`runcast serve` and `runcast demo` install them)"));
        }
        try {
            return s.start(request, by);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public List<AgentInfo> agents() {
        ChatService s = installed;
        return s == null ? List.of() : s.agents();
    }
}
