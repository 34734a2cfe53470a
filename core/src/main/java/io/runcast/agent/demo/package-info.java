/** The scripted multi-agent demo behind {@code ./runcast demo}: {@link io.runcast.agent.demo.DemoPlan}. */
package io.runcast.agent.demo;
