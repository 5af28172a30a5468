// The end-to-end files spawn processes and run for tens of seconds each: started last (a fresh checkout has no
// timings cached, so vitest orders by file size) they form the run's tail on two cores. They go first, longest
// known first; every other file keeps vitest's own order (failed first, then longest cached, then largest).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class E2eFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isE2e = (spec: TestSpecification) => spec.moduleId.includes('/test/e2e/');
    return [...sorted.filter(isE2e), ...sorted.filter((spec) => !isE2e(spec))];
  }
}
