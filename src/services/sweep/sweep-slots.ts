// The sweep's schedule as a pure function of time (croner's nextRun never waits): used to state, in notices,
// the time of the sweep that will really act. scheduler/ fires on the same SWEEP_SCHEDULE.
import { Cron } from 'croner';
import type { Config } from '../../config.ts';
import type { NextSweepAt } from '../../domain/sweep-rules.ts';

export function nextSweepAtFor(config: Pick<Config, 'sweep'>): NextSweepAt {
  const cron = new Cron(config.sweep.schedule, { timezone: config.sweep.timezone, paused: true });
  return (moment) => {
    // croner works in whole seconds and returns runs strictly after its argument: start from the second
    // before the moment rounded up, so a run at exactly the moment counts and none before it does.
    const ceiled = Math.ceil(moment.getTime() / 1000) * 1000;
    return cron.nextRun(new Date(ceiled - 1000)) ?? moment;
  };
}
