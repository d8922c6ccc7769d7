/**
 * Schedules as Alibaba Cloud Assistant documents them: {@link io.stopplane.model.schedule.RepeatMode} and the three
 * forms of {@code Frequency} ({@code rate(…)}, {@code at(…)}, cron with an optional year and zone), parsed and
 * validated with their documented limits. Pure: every computation takes the instant it works from, so a test moves
 * the clock and nothing here reads the wall clock.
 */
package io.stopplane.model.schedule;
