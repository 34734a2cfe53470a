package io.runcast.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Event;
import java.util.concurrent.CompletionStage;

/**
 * What subscribers may ask of a run besides watching it: cancel, pause, resume, and answering a
 * human decision. The WebSocket {@code cancel}/{@code decide} ops and the HTTP control routes all
 * come here.
 *
 * <p>Contract: every method returns at once; the stage completes with the event that records the
 * outcome ({@code run.cancelled}, {@code run.paused}, {@code run.resumed}, {@code decision.resolved})
 * once it is committed, or fails with a {@link io.runcast.protocol.RuncastException}:
 * {@code NOT_FOUND} (unknown run), {@code RUN_CLOSED} (already ended), {@code DECISION_NOT_FOUND},
 * {@code DECISION_CLOSED} (someone else answered first), {@code INVALID_CHOICE}. The first valid
 * answer to a decision wins; exactly one {@code decision.resolved} is appended per decision.
 * {@code by} names who asked (a connection id or a principal) and is recorded in the event.
 *
 * <p>Cancel records {@code run.cancelled} at once and, for a run executing in this process, also stops
 * its work (flag plus interruption); it never waits for the agents. A decision that nobody answers
 * within its {@code timeout_seconds} is resolved by the control itself ({@code by: "timeout"}).
 */
public interface RunControl {
    CompletionStage<Event> cancel(String run, String by, String reason);

    CompletionStage<Event> pause(String run, String by);

    CompletionStage<Event> resume(String run, String by);

    CompletionStage<Event> decide(String run, String decision, JsonNode choice, String by);
}
