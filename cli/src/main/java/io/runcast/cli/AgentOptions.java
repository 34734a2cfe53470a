package io.runcast.cli;

import io.runcast.chats.ChatConfig;
import io.runcast.chats.Router;
import io.runcast.llm.LlmConfig;
import io.runcast.llm.agent.LlmAgentConfig;
import picocli.CommandLine.Option;

/**
 * Chat and model flags shared by {@code serve} and {@code demo}. Like every server flag each also reads
 * RUNCAST_* and the YAML file; the model's URL, key and name also fall back to the conventional
 * {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY} and {@code OPENAI_MODEL} (see {@link ConfigDefaults}).
 */
public final class AgentOptions {
    @Option(names = "--model", description = "model name for the LLM agent (e.g. gpt-4o-mini, llama3.1); when set, it answers chats by default")
    String model;

    @Option(names = "--model-url", defaultValue = "https://api.openai.com/v1",
            description = "base URL of an OpenAI-compatible API (OpenAI, vLLM, Ollama: http://localhost:11434/v1, llama.cpp, LM Studio) (default: ${DEFAULT-VALUE})")
    String modelUrl;

    @Option(names = "--model-key", description = "API key for the model server, if it needs one")
    String modelKey;

    @Option(names = "--model-connect-timeout", defaultValue = "10s", description = "to connect to the model server (default: ${DEFAULT-VALUE})")
    String connectTimeout;

    @Option(names = "--model-first-token-timeout", defaultValue = "2m", description = "from a request to its first token (default: ${DEFAULT-VALUE})")
    String firstTokenTimeout;

    @Option(names = "--model-idle-timeout", defaultValue = "30s", description = "longest silence inside a streaming answer (default: ${DEFAULT-VALUE})")
    String idleTimeout;

    @Option(names = "--model-retries", defaultValue = "2", description = "retries of a 429, 5xx or failed connect before anything streamed (default: ${DEFAULT-VALUE})")
    int retries;

    @Option(names = "--model-max-iterations", defaultValue = "8", description = "model calls per answer, tool rounds included (default: ${DEFAULT-VALUE})")
    int maxIterations;

    @Option(names = "--light-mode", defaultValue = "auto", description = "auto (route simple asks to a one-step pipeline), off or always (default: ${DEFAULT-VALUE})")
    String lightMode;

    @Option(names = "--light-threshold", defaultValue = "" + Router.DEFAULT_THRESHOLD, description = "router confidence needed for the light pipeline, 0..1 (default: ${DEFAULT-VALUE})")
    double lightThreshold;

    @Option(names = "--approval-timeout", defaultValue = "2m", description = "how long a tool that needs approval waits for a person (default: ${DEFAULT-VALUE})")
    String approvalTimeout;

    /** Whether a model is configured (then the LLM agent is the default for chats). */
    boolean hasModel() {
        return model != null && !model.isBlank();
    }

    ChatConfig chatConfig() {
        try {
            return ChatConfig.DEFAULT.withLightMode(Router.Mode.parse(lightMode)).withLightThreshold(lightThreshold);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--light-mode/--light-threshold: " + e.getMessage());
        }
    }

    LlmConfig llmConfig() {
        try {
            return LlmConfig.of(modelUrl, model, modelKey)
                    .withTimeouts(ServerOptions.duration("model-connect-timeout", connectTimeout),
                            ServerOptions.duration("model-first-token-timeout", firstTokenTimeout),
                            ServerOptions.duration("model-idle-timeout", idleTimeout))
                    .withRetries(retries, LlmConfig.DEFAULT_RETRY_BASE_BACKOFF, LlmConfig.DEFAULT_RETRY_MAX_BACKOFF);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model settings: " + e.getMessage());
        }
    }

    LlmAgentConfig agentConfig() {
        return LlmAgentConfig.DEFAULT.withMaxIterations(maxIterations).withApprovalTimeout(approvalTimeout());
    }

    java.time.Duration approvalTimeout() {
        return ServerOptions.duration("approval-timeout", approvalTimeout);
    }
}
