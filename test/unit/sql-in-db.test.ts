// All SQL lives under src/db/: services, listeners and the outbox speak to the database through repositories,
// so a statement, its parameters and the index it relies on are read in one place. This test reads the source
// and names every place outside src/db/ that reaches for the driver.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');
const DB = path.join(SRC, 'db');

// Matched against the whole file: a statement often starts on the line after `em.execute(`.
const DRIVER_USE: { name: string; pattern: RegExp }[] = [
  { name: 'em.execute', pattern: /\.execute\s*(?:<[^(]*?>)?\s*\(\s*[`'"]/g },
  { name: 'getKysely', pattern: /\bgetKysely\s*[<(]/g },
  { name: 'sql`', pattern: /\bsql\s*(?:<[^`]*?>)?\s*`/g },
  { name: 'createQueryBuilder', pattern: /\bcreateQueryBuilder\s*[<(]/g },
  { name: "import from 'kysely'", pattern: /from\s+['"]kysely['"]/g },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `file:line: what` for each place outside src/db/ that uses the driver directly. */
function driverUseOutsideDb(files: { file: string; text: string }[]): string[] {
  return files.flatMap(({ file, text }) =>
    DRIVER_USE.flatMap((use) =>
      [...text.matchAll(use.pattern)].map((match) => ({ line: text.slice(0, match.index).split('\n').length, use })),
    )
      .sort((a, b) => a.line - b.line)
      .map(({ line, use }) => `${path.relative(SRC, file)}:${line}: ${use.name}`),
  );
}

describe('SQL only under src/db/', () => {
  it('finds no raw statement, query builder or kysely outside src/db/', () => {
    const files = sourceFiles(SRC)
      .filter((file) => !file.startsWith(DB + path.sep))
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    expect(files.length).toBeGreaterThan(20);
    expect(driverUseOutsideDb(files)).toEqual([]);
  });

  it('recognises each way of reaching the driver', () => {
    const sample = [
      'await em.execute(',
      '  `update bug_reports set title = ?`, [title]);',
      "const rows = await tx.execute<{ id: string }[]>('select 1');",
      'const db = em.getKysely();',
      'await sql`select pg_advisory_lock(${key})`.execute(connection);',
      "const qb = em.createQueryBuilder(BugReport, 'b');",
      "import { sql } from 'kysely';",
    ].join('\n');
    expect(driverUseOutsideDb([{ file: path.join(SRC, 'services', 'example.ts'), text: sample }])).toEqual([
      'services/example.ts:1: em.execute',
      'services/example.ts:3: em.execute',
      'services/example.ts:4: getKysely',
      'services/example.ts:5: sql`',
      'services/example.ts:6: createQueryBuilder',
      "services/example.ts:7: import from 'kysely'",
    ]);
  });
});
