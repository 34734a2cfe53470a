package io.runcast.chats;

import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.event.Json;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test agent whose answer shows what it was given: the message, the turn and the history it saw.
 * {@link #hold} makes {@code respond} wait for a latch, so a turn can be kept running on purpose.
 */
final class EchoAgent implements ChatAgent {
    private final String name;
    volatile CountDownLatch hold;

    EchoAgent(String name) {
        this.name = name;
    }

    @Override public String name() { return name; }
    @Override public String description() { return "answers with what it was given"; }

    @Override
    public Agent analyze(ChatTurn turn) {
        return ctx -> {
            ctx.out().thinking("analyzing: " + turn.message());
            return TextNode.valueOf("analyzed");
        };
    }

    @Override
    public Agent respond(ChatTurn turn) {
        return ctx -> {
            CountDownLatch h = hold;
            if (h != null && !h.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            StringBuilder said = new StringBuilder();
            turn.history().forEach(m -> said.append(m.role()).append(':').append(m.content()).append('|'));
            String answer = "echo " + turn.message() + " #" + turn.turn() + " [" + said + "]";
            for (String w : answer.split(" ")) ctx.out().delta(w + " ");
            ctx.out().answer(answer);
            return Json.object().put("answer", answer);
        };
    }

    @Override
    public Agent review(ChatTurn turn) {
        return ctx -> {
            ctx.out().qualityCheck(1.0, true, "echo");
            return null;
        };
    }
}
