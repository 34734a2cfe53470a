/** What the seed formats share: a JSON WebSocket session over the hub ({@link io.runcast.seeds.common.JsonSocket}). */
package io.runcast.seeds.common;
