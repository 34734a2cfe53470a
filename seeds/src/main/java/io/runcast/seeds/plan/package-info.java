/**
 * Seed 000's plan page format on {@code /ws/streaming}: {@code subscribe_plan}/{@code unsubscribe_plan}
 * in, {@code plan_update}/{@code step_update}/{@code agent_message} out, and the sample plan behind
 * {@code POST /api/test/streaming/{plan_id}}. Install {@link io.runcast.seeds.plan.PlanPageFormat};
 * the mapping from Runcast's catalogue is the table in {@link io.runcast.seeds.plan.PlanFrames}.
 */
package io.runcast.seeds.plan;
