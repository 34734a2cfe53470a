/**
 * The Java producer API: {@link io.runcast.producer.RunProducer} opens runs and
 * {@link io.runcast.producer.RunHandle} emits every catalogue event through typed helpers, either
 * in-process ({@link io.runcast.engine.InProcessProducer}) or against a remote server over HTTP
 * ({@link io.runcast.client.HttpProducer}), with the same code.
 */
package io.runcast.producer;
