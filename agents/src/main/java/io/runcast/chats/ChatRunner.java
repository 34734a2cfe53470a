package io.runcast.chats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.chat.AgentInfo;
import io.runcast.chat.ChatService;
import io.runcast.engine.Engine;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Ids;
import io.runcast.event.Json;
import io.runcast.exec.Plan;
import io.runcast.exec.PlanExecutor;
import io.runcast.exec.RunExecution;
import io.runcast.exec.Step;
import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.ChatStarted;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server's {@link ChatService}: turns a message into a run of a {@link ChatAgent} on the plan
 * executor. For each request it picks the agent (the named one, else the default), reserves the
 * conversation's next turn ({@link Conversations}), routes it ({@link Router}) and starts the plan;
 * {@code run.started} carries {@code kind: "chat"}, the conversation, turn and message, and the
 * router's {@code workflow.route} follows at once. The store reads this needs happen on a small pool of
 * its own, never on the caller's thread (a transport's event loop).
 */
public final class ChatRunner implements ChatService, AutoCloseable {
    /** Room left in {@code run.started} for the fields around the message. */
    private static final int ENVELOPE_BYTES = 1024;

    private final Engine engine;
    private final PlanExecutor executor;
    private final Map<String, ChatAgent> agents = new LinkedHashMap<>();
    private final String defaultAgent;
    private final Router router;
    private final Conversations conversations;
    private final ExecutorService starts = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "runcast-chat-start");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param agents       the agents chats may name; the first is the default
     * @param config       light mode and history settings
     */
    public ChatRunner(Engine engine, PlanExecutor executor, List<ChatAgent> agents, ChatConfig config) {
        if (agents.isEmpty()) throw new IllegalArgumentException("a chat runner needs at least one agent");
        for (ChatAgent a : agents) {
            if (this.agents.putIfAbsent(a.name(), a) != null) throw new IllegalArgumentException("two agents named " + a.name());
        }
        this.engine = engine;
        this.executor = executor;
        this.defaultAgent = agents.get(0).name();
        this.router = config.router();
        this.conversations = new Conversations(engine, config.historyTurns(), executor::executing);
    }

    @Override
    public List<AgentInfo> agents() {
        List<AgentInfo> out = new ArrayList<>();
        agents.values().forEach(a -> out.add(new AgentInfo(a.name(), a.description(), a.name().equals(defaultAgent))));
        return out;
    }

    @Override
    public CompletionStage<ChatStarted> start(ChatRequest request, String by) {
        return startTurn(request, by).thenApply(Started::started);
    }

    /** A turn that started: its answer to the requester, and its terminal event once committed. */
    public record Started(ChatStarted started, CompletableFuture<Event> done) {}

    /** {@link #start}, for a caller in this process that also wants to know when the turn ends (the demo). */
    public CompletableFuture<Started> startTurn(ChatRequest request, String by) {
        try {
            Route route = check(request);
            return CompletableFuture.supplyAsync(() -> begin(request, route, by), starts);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** What can be refused without touching the store, refused at once; the route, when nothing is. */
    private Route check(ChatRequest request) {
        if (request.agent() != null && !agents.containsKey(request.agent())) {
            throw new RuncastException(ErrorCode.NOT_FOUND, "no agent '" + request.agent() + "'; agents here: "
                    + String.join(", ", agents.keySet()));
        }
        int bytes = Json.write(Json.MAPPER.getNodeFactory().textNode(request.message())).getBytes(StandardCharsets.UTF_8).length;
        int max = engine.limits().maxEventBytes() - ENVELOPE_BYTES;
        if (bytes > max) {
            throw new RuncastException(ErrorCode.TOO_LARGE, "a message of " + bytes + " bytes is over the " + max + " a chat can take");
        }
        return router.route(request.message(), request.options()); // refuses a bad options.light now, not in the run
    }

    private Started begin(ChatRequest request, Route route, String by) {
        ChatAgent agent = agents.get(request.agent() == null ? defaultAgent : request.agent());
        String conversation = request.conversation() != null ? request.conversation() : "chat-" + Ids.newShortId();
        Conversations.Claim claim = conversations.claim(conversation);
        try {
            ChatTurn turn = new ChatTurn(claim.run(), conversation, claim.turn(), request.message(), claim.history(),
                    request.options(), route);
            RunExecution ex = executor.start(claim.run(), plan(agent, turn, by));
            conversations.started(claim, request.message());
            return new Started(new ChatStarted(ex.run(), conversation, claim.turn(), agent.name()), ex.done());
        } catch (RuntimeException e) {
            conversations.release(claim);
            throw e;
        }
    }

    private static Plan plan(ChatAgent agent, ChatTurn turn, String by) {
        String name = agent.name();
        List<Step> steps = turn.light()
                ? List.of(Step.of("respond", name, agent.respond(turn)))
                : List.of(Step.of("analyze", name, agent.analyze(turn)),
                        Step.of("respond", name, agent.respond(turn), "analyze"),
                        Step.of("review", name, agent.review(turn), "respond"));
        ObjectNode info = Json.object().put("kind", "chat").put("conversation", turn.conversation())
                .put("turn", turn.turn()).put("message", turn.message()).put("agent", name);
        if (by != null) info.put("by", by);
        if (!turn.options().isEmpty()) info.set("options", turn.options());
        info.put("history_messages", turn.history().size());
        EventDraft route = new EventDraft(EventTypes.WORKFLOW_ROUTE, null, "router", Json.write(turn.route().toJson()), null);
        return new Plan(turn.message(), steps).with(info, List.of(route));
    }

    @Override
    public void close() {
        starts.shutdownNow();
    }
}
