package io.runcast.cli;

import io.runcast.chats.ChatAgent;
import io.runcast.chats.ChatRunner;
import io.runcast.chats.ScriptedAgent;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.llm.LlmClient;
import io.runcast.llm.agent.LlmAgent;
import io.runcast.server.RuncastServer;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.builtin.Builtins;
import java.util.ArrayList;
import java.util.List;

/**
 * The agents a server from the command line answers chats with, composed in one place: the built-in
 * tools, the scripted agent, and the LLM agent when a model is configured (then first, so the default).
 */
final class ChatAgents implements AutoCloseable {
    final ChatRunner runner;
    private final PlanExecutor executor;
    private final ToolDispatcher tools;
    private final LlmClient llm;

    private ChatAgents(ChatRunner runner, PlanExecutor executor, ToolDispatcher tools, LlmClient llm) {
        this.runner = runner;
        this.executor = executor;
        this.tools = tools;
        this.llm = llm;
    }

    /**
     * Installs the chat agents into a started server.
     *
     * @param pace the scripted agent's pace (1.0 reads like a model; the demo's --pace scales it)
     */
    static ChatAgents install(RuncastServer server, AgentOptions options, double pace) {
        ToolDispatcher tools = new ToolDispatcher(Builtins.registry());
        List<ChatAgent> agents = new ArrayList<>();
        LlmClient llm = null;
        if (options.hasModel()) {
            llm = new LlmClient(options.llmConfig());
            agents.add(new LlmAgent("model", llm, tools, options.agentConfig()));
        }
        agents.add(new ScriptedAgent(tools, pace, options.approvalTimeout()));
        PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        ChatRunner runner = new ChatRunner(server.engine(), executor, agents, options.chatConfig());
        server.chats().install(runner);
        return new ChatAgents(runner, executor, tools, llm);
    }

    /** The agent chats get when they name none. */
    String defaultAgent() {
        return runner.agents().get(0).name();
    }

    @Override
    public void close() {
        runner.close();
        executor.close(); // ends running turns with run.failed before the store closes
        tools.close();
        if (llm != null) llm.close();
    }
}
