/**
 * Run control: what subscribers may ask of a run besides watching it — cancel, pause, resume, and
 * answering human decisions. {@link io.runcast.control.RunControl} is the contract every transport
 * calls; {@link io.runcast.control.StreamControl} implements it by appending events and by reading the
 * committed stream, and tells in-process executors through {@link io.runcast.control.RunObserver}.
 */
package io.runcast.control;
