/** The scripted multi-agent demo behind {@code ./runcast demo}: {@link io.runcast.demo.DemoPlan}. */
package io.runcast.demo;
