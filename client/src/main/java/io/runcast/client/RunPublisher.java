package io.runcast.client;

import io.runcast.event.Event;
import io.runcast.protocol.RuncastException;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;

/**
 * {@link RuncastClient#events} as a Flow.Publisher. Each Flow subscriber gets a
 * {@link SubmissionPublisher} fed by its own run subscription; {@code submit} blocks when the
 * subscriber's buffer is full, which is how demand reaches the socket.
 */
final class RunPublisher implements Flow.Publisher<Event> {
    private final RuncastClient client;
    private final String run;
    private final SubscribeOptions options;

    RunPublisher(RuncastClient client, String run, SubscribeOptions options) {
        this.client = client;
        this.run = run;
        this.options = options;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Event> subscriber) {
        SubmissionPublisher<Event> out = new SubmissionPublisher<>(Runnable::run, Flow.defaultBufferSize());
        out.subscribe(subscriber);
        ClientSubscription[] self = new ClientSubscription[1];
        try {
            self[0] = client.subscribe(run, options, new RunListener() {
                @Override
                public void onEvent(Event event) {
                    if (out.isClosed() || !out.hasSubscribers()) {
                        if (self[0] != null) self[0].unsubscribe(); // the Flow subscriber cancelled
                        return;
                    }
                    out.submit(event);
                }

                @Override
                public void onEnd(String r, long seq) {
                    out.close();
                }

                @Override
                public void onError(RuncastException error) {
                    out.closeExceptionally(error);
                }
            });
        } catch (RuncastException e) {
            out.closeExceptionally(e);
        }
    }
}
