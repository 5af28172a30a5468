// Timing a pure function on a machine other work shares (two cores, several test workers): CPU time spent by this
// process, not wall time, so waiting for a core does not count. The best of a few runs cuts GC noise.

/** Milliseconds of CPU this process spent in the fastest of `runs` calls of `work`. */
export function bestCpuMs(work: () => unknown, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const before = process.cpuUsage();
    work();
    const spent = process.cpuUsage(before);
    best = Math.min(best, (spent.user + spent.system) / 1000);
  }
  return best;
}
