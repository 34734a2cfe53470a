package io.runcast.chats;

import io.runcast.agent.Agent;

/**
 * An agent that answers chat messages. A turn runs as a plan of up to three steps on the
 * {@link io.runcast.exec.PlanExecutor} (so cancel, pause, decisions, retries, telemetry and exactly one
 * terminal event come from the executor): the full pipeline is {@code analyze → respond → review}; the
 * light pipeline (see {@link Router}) is {@code respond} alone.
 *
 * <p>Each method returns the step's work for one turn; it is called once per turn, on the thread that
 * starts the chat, and must not block. The returned agents run on executor threads.
 */
public interface ChatAgent {
    /** The name a chat request uses to pick this agent: 1..64 characters of [A-Za-z0-9_.:-]. */
    String name();

    /** One line for people choosing an agent. */
    String description();

    /**
     * Thinks about the ask before answering (full pipeline only): streams {@code agent.thinking}; its
     * result reaches {@code respond} as {@code ctx.results().get("analyze")}.
     */
    Agent analyze(ChatTurn turn);

    /**
     * Answers: thinking, tool calls and results, {@code answer.delta}s and one {@code answer.final};
     * returns {@code {"answer": text}}. In the light pipeline it runs alone, with
     * {@link ChatTurn#light()} true: fewer iterations and tool calls.
     */
    Agent respond(ChatTurn turn);

    /** Checks the answer (full pipeline only): streams {@code quality.check}. */
    Agent review(ChatTurn turn);
}
