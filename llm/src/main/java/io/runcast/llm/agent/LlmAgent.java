package io.runcast.llm.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.runcast.agent.Agent;
import io.runcast.agent.AgentContext;
import io.runcast.chats.AnswerReview;
import io.runcast.chats.ChatAgent;
import io.runcast.chats.ChatMessage;
import io.runcast.chats.ChatTurn;
import io.runcast.chats.ThinkingStream;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.llm.ChatRequest;
import io.runcast.llm.Completion;
import io.runcast.llm.LlmCall;
import io.runcast.llm.LlmClient;
import io.runcast.llm.LlmException;
import io.runcast.llm.LlmListener;
import io.runcast.llm.Messages;
import io.runcast.llm.RetryNotice;
import io.runcast.llm.ToolCall;
import io.runcast.tool.CallOptions;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.ToolResult;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

/**
 * A chat agent over any OpenAI-compatible chat-completions endpoint ({@link LlmClient}). One turn:
 * <ul>
 *   <li><b>analyze</b> (full pipeline): one call without tools asking for a short plan, streamed as
 *       {@code agent.thinking}; the plan joins the system prompt of the answer.</li>
 *   <li><b>respond</b>: the tool loop. Each model call streams: reasoning ({@code reasoning_content} /
 *       {@code reasoning}) as {@code agent.thinking}, one event per paragraph; text as
 *       {@code answer.delta}. Tool calls, assembled by the client from their deltas, run through the
 *       {@link ToolDispatcher} (validation, cache, approvals; each a {@code tool.call} and a
 *       {@code tool.result}) and go back to the model, until it answers or the iteration limit, whose
 *       last call offers no tools so that it must answer. Then {@code answer.final}.</li>
 *   <li><b>review</b> (full pipeline): {@link AnswerReview}.</li>
 * </ul>
 * Usage (tokens in and out) is streamed as {@code metrics.update} per call, and the executor sums it into
 * the terminal event's summary with the time to first token. A retried upstream failure (429, 5xx,
 * connect) is streamed as {@code error.recovery}; a final one fails the step, and so the run, with the
 * client's reason ({@code run.failed}'s {@code reason}). Cancelling the run cancels the upstream call,
 * which closes its connection at once.
 */
public final class LlmAgent implements ChatAgent {
    private final String name;
    private final LlmClient client;
    private final ToolDispatcher tools;
    private final LlmAgentConfig config;

    public LlmAgent(String name, LlmClient client, ToolDispatcher tools, LlmAgentConfig config) {
        this.name = name;
        this.client = client;
        this.tools = tools;
        this.config = config;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "model " + client.config().model() + " at " + host(client.config().baseUrl()) + ", with tools";
    }

    @Override
    public Agent analyze(ChatTurn turn) {
        return ctx -> {
            List<ObjectNode> messages = conversation(turn, config.systemPrompt() + "\n\nBefore anyone answers, think about "
                    + "the request: what is asked, what is missing, which of the tools (" + String.join(", ", tools.registry().names())
                    + ") would help, and the steps. Reply with that plan in two to five short sentences. Do not answer the request.");
            ThinkingStream thinking = new ThinkingStream(ctx.out());
            Completion c = call(ctx, ChatRequest.of(messages), thinking, thinking::add);
            thinking.flush();
            usage(ctx, c, "analyze");
            return Json.object().put("plan", c.content().strip());
        };
    }

    @Override
    public Agent respond(ChatTurn turn) {
        return ctx -> {
            ctx.out().modelSelected(client.config().model(), turn.light() ? "light" : "full",
                    "the configured model at " + host(client.config().baseUrl()));
            String plan = ctx.results().getOrDefault("analyze", Json.object()).path("plan").asText("");
            List<ObjectNode> messages = conversation(turn, plan.isEmpty() ? config.systemPrompt()
                    : config.systemPrompt() + "\n\nA plan for this answer, made just now:\n" + plan);
            ArrayNode definitions = tools.registry().definitions();
            int maxIterations = turn.light() ? config.lightIterations() : config.maxIterations();
            int toolBudget = turn.light() ? config.lightToolCalls() : Integer.MAX_VALUE;
            CallOptions opts = CallOptions.DEFAULT.withFresh(turn.fresh()).withApprovalTimeout(config.approvalTimeout())
                    .withTimeout(config.toolTimeout());
            int toolCalls = 0;
            int toolErrors = 0;
            for (int iteration = 1; ; iteration++) {
                boolean last = iteration >= maxIterations || definitions.isEmpty();
                ChatRequest request = ChatRequest.of(messages);
                if (!last) request = request.withTools(definitions, TextNode.valueOf("auto"));
                ThinkingStream thinking = new ThinkingStream(ctx.out());
                Completion c = call(ctx, request, thinking, delta -> ctx.out().delta(delta));
                thinking.flush();
                usage(ctx, c, "respond");
                if (c.toolCalls().isEmpty() || last) {
                    String answer = c.content().strip();
                    if (answer.isEmpty()) {
                        throw new IllegalStateException("the model ended its answer without any text (finish_reason "
                                + c.finishReason() + ")");
                    }
                    ctx.out().answer(answer);
                    return Json.object().put("answer", answer).put("tool_calls", toolCalls).put("tool_errors", toolErrors)
                            .put("iterations", iteration);
                }
                if (!c.content().isBlank()) {
                    // text the model wrote on its way to a tool call: kept in the stream as thinking; the final
                    // answer replaces it
                    ctx.out().emit(EventTypes.AGENT_THINKING, Json.object().put("content", c.content().strip())
                            .put("thinking_type", "interim"));
                }
                messages.add(c.toMessage());
                for (ToolCall tc : c.toolCalls()) {
                    ctx.checkpoint();
                    if (toolBudget <= 0) {
                        String refusal = "light mode allows " + config.lightToolCalls() + " tool calls per request; answer with what you have";
                        ctx.out().thinking("Not calling " + tc.name() + ": " + refusal + ".");
                        messages.add(Messages.tool(tc.id(), Json.write(Json.object().put("error", refusal))));
                        continue;
                    }
                    toolBudget--;
                    ToolResult r = tools.dispatch(new io.runcast.tool.ToolCall(tc.id(), tc.name(), tc.arguments()), ctx, opts);
                    toolCalls++;
                    if (!r.ok()) toolErrors++;
                    messages.add(Messages.tool(r.call(), r.content()));
                }
            }
        };
    }

    @Override
    public Agent review(ChatTurn turn) {
        return AnswerReview.agent();
    }

    /** The system prompt, the earlier turns and the new message. */
    private static List<ObjectNode> conversation(ChatTurn turn, String system) {
        List<ObjectNode> messages = new ArrayList<>();
        messages.add(Messages.system(system));
        for (ChatMessage m : turn.history()) {
            messages.add(m.role().equals(ChatMessage.USER) ? Messages.user(m.content()) : Messages.assistant(m.content(), List.of()));
        }
        messages.add(Messages.user(turn.message()));
        return messages;
    }

    /** One streaming call: reasoning to {@code thinking}, text to {@code onText}; cancelled with the run. */
    private Completion call(AgentContext ctx, ChatRequest request, ThinkingStream thinking,
                            java.util.function.Consumer<String> onText) throws InterruptedException {
        LlmCall call = client.stream(request, new LlmListener() {
            private boolean texting;

            @Override
            public void onReasoning(String delta) {
                thinking.add(delta);
            }

            @Override
            public void onContent(String delta) {
                if (!texting) {
                    thinking.flush(); // reasoning first, then the text: keep them in that order in the stream
                    texting = true;
                }
                onText.accept(delta);
            }

            @Override
            public void onToolCallStart(int index, String id, String toolName) {
                thinking.flush();
            }

            @Override
            public void onRetry(RetryNotice n) {
                ObjectNode d = Json.object().put("error_message", n.reason()).put("strategy", "retry")
                        .put("attempt", n.retry()).put("next_attempt", n.retry() + 1).put("max_attempts", n.maxRetries() + 1)
                        .put("backoff_ms", n.delay().toMillis()).put("can_continue", true);
                if (n.status() > 0) d.put("status", n.status());
                ctx.out().emit(EventTypes.ERROR_RECOVERY, d);
            }
        });
        ctx.onCancel(call::cancel);
        try {
            return call.result().get();
        } catch (InterruptedException e) {
            call.cancel();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LlmException le && le.kind() == LlmException.Kind.CANCELLED) {
                throw new CancellationException(le.getMessage());
            }
            if (cause instanceof RuntimeException re) throw re;
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (CancellationException e) {
            call.cancel();
            throw e;
        }
    }

    private void usage(AgentContext ctx, Completion c, String phase) {
        if (c.usage() == null) return;
        ctx.out().metrics(Json.object().put("model", client.config().model()).put("phase", phase)
                .put("tokens_in", c.usage().promptTokens()).put("tokens_out", c.usage().completionTokens()));
    }

    private static String host(String baseUrl) {
        try {
            URI u = URI.create(baseUrl);
            return u.getHost() == null ? baseUrl : u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return baseUrl;
        }
    }
}
