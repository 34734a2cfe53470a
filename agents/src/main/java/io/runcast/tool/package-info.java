/**
 * Tools for chat agents: a {@link io.runcast.tool.Tool} has a name, a description and a JSON Schema for
 * its arguments; a {@link io.runcast.tool.ToolRegistry} holds them and gives the OpenAI {@code tools}
 * array; a {@link io.runcast.tool.ToolDispatcher} runs each call a model makes inside an agent's step
 * (validation, approval, {@link io.runcast.tool.ToolCache caching}, timeout, cancellation) and streams
 * {@code tool.call}/{@code tool.result}. Built-in tools are in {@code io.runcast.tool.builtin}.
 */
package io.runcast.tool;
