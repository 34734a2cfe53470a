package io.runcast.demo;

import io.runcast.chats.ChatRunner;
import io.runcast.event.Event;
import io.runcast.event.Json;
import io.runcast.protocol.ChatRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's chats: short conversations sent to the default chat agent over and over, beside the plan
 * runs of {@link DemoPlan}. With the scripted agent they show every kind of chat event (the light and
 * the full pipeline, tool calls and results, an approval that waits for a person and an answer
 * streamed token by token); with a model configured, the same messages go to the model.
 */
public final class DemoChats {
    private static final Logger log = LoggerFactory.getLogger(DemoChats.class);

    /** One conversation: its messages, sent one after the other. */
    record Script(String name, List<String> messages) {}

    static final List<Script> SCRIPTS = List.of(
            new Script("math", List.of("What is 17 * 23 + 4?", "Thanks! What time is it in Tokyo right now?")),
            new Script("design", List.of(
                    "Compare WebSockets and Server-Sent Events for streaming agent runs, and plan a rollout for our team.",
                    "What is 17 * 23 + 4?")),
            new Script("notes", List.of("Remember that the launch review is on Friday at 10:00.",
                    "What do my notes say about the launch?")));

    /**
     * @param prefix conversation ids are {@code prefix-…}
     * @param gap    the wait between two messages
     * @param onRun  told each chat run id as it starts
     */
    public record Options(String prefix, Duration gap, Consumer<String> onRun) {
        public Options {
            Objects.requireNonNull(prefix);
            Objects.requireNonNull(gap);
            onRun = onRun == null ? run -> { } : onRun;
        }
    }

    private DemoChats() {}

    /** Starts the loop on a daemon thread; closing the result stops it (the turn under way ends with the executor). */
    public static AutoCloseable runForever(ChatRunner chats, Options options) {
        String prefix = options.prefix() + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        Thread loop = new Thread(() -> {
            for (long cycle = 1; !Thread.currentThread().isInterrupted(); cycle++) {
                for (Script s : SCRIPTS) {
                    String conversation = prefix + "-" + s.name() + "-" + cycle;
                    for (String message : s.messages()) {
                        try {
                            talk(chats, conversation, message, options);
                            Thread.sleep(options.gap().toMillis());
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            log.warn("demo chat {} did not finish cleanly: {}", conversation, e.toString());
                        }
                    }
                }
            }
        }, "runcast-demo-chats");
        loop.setDaemon(true);
        loop.start();
        return loop::interrupt;
    }

    /** Sends one message and waits for the turn's terminal event. */
    static Event talk(ChatRunner chats, String conversation, String message, Options options) throws Exception {
        ChatRunner.Started t = chats.startTurn(new ChatRequest(message, null, conversation, Json.object()), "demo")
                .get(30, TimeUnit.SECONDS);
        options.onRun().accept(t.started().run());
        return t.done().get(10, TimeUnit.MINUTES);
    }
}
