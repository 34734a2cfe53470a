package io.runcast.cli;

import io.runcast.client.Accepted;
import io.runcast.client.RuncastHttp;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.RuncastException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runcast publish RUN TYPE --data JSON}: appends one event over the HTTP API and prints its seq. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Append one event to a run and print the seq it was given.")
public final class PublishCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
    String run;

    @Parameters(index = "1", paramLabel = "TYPE", description = "The event type, e.g. agent.thinking or x.my_type.")
    String type;

    @Option(names = "--data", defaultValue = "{}", description = "The event data: a JSON object (default: {}).")
    String data;

    @Option(names = "--step", description = "The plan step the event belongs to.")
    String step;

    @Option(names = "--agent", description = "The agent that produced it.")
    String agent;

    @Option(names = "--key", description = "An idempotency key: publishing the same key again returns the first event.")
    String key;

    @Option(names = "--server", defaultValue = "http://localhost:8000", description = "Server URL (default: ${DEFAULT-VALUE}).")
    String server;

    @Override
    public Integer call() {
        try {
            Json.parseObject(data);
        } catch (IllegalArgumentException e) {
            System.err.println("publish: --data must be a JSON object: " + e.getMessage());
            return 2;
        }
        try {
            List<Accepted> accepted = new RuncastHttp(server).publish(run, new EventDraft(type, step, agent, data, key));
            Accepted a = accepted.get(0);
            System.out.println(run + " #" + a.seq() + " " + type + (a.duplicate() ? " (duplicate of an earlier publish)" : ""));
            return 0;
        } catch (RuncastException e) {
            System.err.println("publish: " + e.code().wire() + ": " + e.getMessage());
            return 1;
        }
    }
}
