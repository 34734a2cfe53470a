/**
 * A streaming client for any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp,
 * OpenRouter…), built on the JDK's {@code java.net.http} client.
 *
 * <p>{@link io.runcast.llm.LlmClient#stream} POSTs a {@link io.runcast.llm.ChatRequest} to
 * {@code {baseUrl}/chat/completions} with {@code "stream": true} and {@code "stream_options": {"include_usage": true}},
 * reads the server-sent events as they come, and reports content, reasoning and tool-call starts to an
 * {@link io.runcast.llm.LlmListener} in stream order. The {@link io.runcast.llm.LlmCall}'s future then completes with
 * the whole turn ({@link io.runcast.llm.Completion}: content, reasoning, assembled tool calls, finish reason, usage,
 * time to first token) or fails with one {@link io.runcast.llm.LlmException} whose kind says why and whose message
 * is fit to show a person.
 *
 * <p>The contract:
 * <ul>
 *   <li><b>Done</b> means {@code data: [DONE]}, or the stream ending after a {@code finish_reason}. Ending before
 *       both is {@code STREAM_BROKEN}, whether the connection was cut, reset, or cut in the middle of a chunk.</li>
 *   <li><b>Timeouts</b>: connect; first token (from sending the request until the first content, reasoning or
 *       tool-call delta, so it also covers a server that never sends its headers); idle (the longest gap between
 *       chunks once tokens flow). A timeout closes the connection.</li>
 *   <li><b>Retries</b>: HTTP 429, HTTP 5xx, and failures to connect are retried, up to
 *       {@link io.runcast.llm.LlmConfig#maxRetries()} times, waiting the server's {@code Retry-After} (or
 *       {@code retry-after-ms}) when it gives one, else an exponential backoff with jitter, never longer than
 *       {@link io.runcast.llm.LlmConfig#retryMaxBackoff()}. Each retry is announced to the listener first, so a run
 *       can show it. Other 4xx are never retried, nor are timeouts, broken streams or malformed chunks: all of them
 *       happen after the server may have spent a generation. Once a token has been delivered nothing is retried,
 *       as the caller has already shown it.</li>
 *   <li><b>Cancellation</b>: {@link io.runcast.llm.LlmCall#cancel()} closes the HTTP connection at once, in any
 *       phase (connecting, waiting for headers, streaming, waiting to retry) and completes the future with
 *       {@code CANCELLED}. A closed connection is how OpenAI-compatible servers learn to stop generating.</li>
 *   <li><b>Threads</b>: one reading thread per live stream; every timer on one shared timer thread per client;
 *       {@link io.runcast.llm.LlmClient#close()} cancels what is live and stops them.</li>
 * </ul>
 *
 * <p>The test jar holds {@code io.runcast.llm.fake.FakeOpenAi}, a scripted server that speaks this protocol byte
 * for byte, for the tests of anything built on the client.
 */
package io.runcast.llm;
