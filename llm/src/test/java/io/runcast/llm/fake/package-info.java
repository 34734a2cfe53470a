/**
 * {@link io.runcast.llm.fake.FakeOpenAi}: a scripted OpenAI chat-completions server for tests, shipped in the
 * module's test jar. Script it with {@link io.runcast.llm.fake.Reply}, read what it was sent as
 * {@link io.runcast.llm.fake.RecordedRequest}s.
 */
package io.runcast.llm.fake;
