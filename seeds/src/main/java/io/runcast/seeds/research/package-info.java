/**
 * Seed 001's research plan format on {@code /api/v1/streaming/ws/{client_id}}: {@code action}-keyed
 * requests in, {@code event_type} events out (every subscription replays the plan's history first),
 * and the REST routes under {@code /api/v1/streaming/}. Install {@link io.runcast.seeds.research.ResearchFormat};
 * the mapping from Runcast's catalogue is the table in {@link io.runcast.seeds.research.ResearchFrames}.
 */
package io.runcast.seeds.research;
