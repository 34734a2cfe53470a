/**
 * The built-in tools: {@link io.runcast.tool.builtin.Calculator}, {@link io.runcast.tool.builtin.CurrentTime},
 * {@link io.runcast.tool.builtin.FetchUrl} and the in-memory {@link io.runcast.tool.builtin.Notes}
 * ({@code save_note}, {@code search_notes}). {@link io.runcast.tool.builtin.Builtins#all} lists them.
 */
package io.runcast.tool.builtin;
