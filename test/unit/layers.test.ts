// The layers of src/ (README "Project structure") depend one way only. This reads every import of every file under
// src/ and fails when a layer reaches the wrong way; the checker is also run on made-up files so a broken checker
// cannot pass by finding nothing.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Import, importsOf, packageName, type SourceFile, sourceFiles } from '../support/source-imports.ts';

/** Modules at the top of src/ that every layer with use cases may lean on. */
const ROOT_MODULES = ['app-context', 'clock', 'config', 'logger'];

type Rule = {
  /** Layers this one may import from. */
  layers: readonly string[];
  /** Layers it may import types from, and nothing else. */
  typeLayers?: readonly string[];
  /** npm packages it may import; undefined: any. */
  packages?: (name: string, typeOnly: boolean) => boolean;
};

const RULES: Record<string, Rule> = {
  domain: { layers: ['domain'], packages: () => false },
  messages: {
    layers: ['domain', 'messages'],
    packages: (name, typeOnly) => name === '@slack/types' && typeOnly,
  },
  // The database layer opens itself from the config; slack_notices.payload is typed as the message it stores.
  db: { layers: ['domain', 'db', 'migrations', 'config', 'logger'], typeLayers: ['messages'] },
  services: { layers: ['domain', 'messages', 'db', 'services', ...ROOT_MODULES] },
  outbox: { layers: ['domain', 'messages', 'db', 'outbox', ...ROOT_MODULES] },
  scheduler: { layers: ['domain', 'services', 'scheduler', ...ROOT_MODULES] },
  'slack/views': { layers: ['domain', 'messages', 'services', 'slack/views'] },
};

/** Layers without I/O: no npm package unless their rule names it, and only Node modules that compute. */
const PURE_LAYERS = ['domain', 'messages'];
const PURE_BUILTINS = ['node:crypto', 'node:util', 'node:url', 'node:path'];

/** Who may import slack/: the Slack adapter itself and the composition root. */
const SLACK_IMPORTERS = (layer: string) => isSlack(layer) || layer === 'main' || layer === 'bugsweep';

const isSlack = (layer: string) => layer === 'slack' || layer.startsWith('slack/');

/** The layer of a path relative to the repository root: src/<folder>, slack/views apart, or a root module's name. */
function layerOf(repoPath: string): string {
  const parts = repoPath.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  if (parts.length === 2) return parts[1]!.replace(/\.ts$/, '');
  if (parts[1] === 'slack' && parts[2] === 'views') return 'slack/views';
  return parts[1]!;
}

/** The imports that break a layering rule, one line each: empty when every layer reaches the right way only. */
function layerViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const from = layerOf(file.path);
    const rule = RULES[from];
    for (const { specifier, typeOnly } of file.imports) {
      const what = `${file.path} imports ${typeOnly ? 'types from ' : ''}${specifier}`;
      if (!specifier.startsWith('.')) {
        if (specifier.startsWith('node:') && (!PURE_LAYERS.includes(from) || PURE_BUILTINS.includes(specifier)))
          continue;
        const name = packageName(specifier);
        if (rule?.packages && !rule.packages(name, typeOnly)) violations.push(`${what}: ${from}/ may not use ${name}`);
        continue;
      }
      const target = path.posix.join(path.posix.dirname(file.path), specifier);
      const to = layerOf(target);
      if (to === 'cli' && from !== 'cli') violations.push(`${what}: nothing imports the command line`);
      if (isSlack(to) && !SLACK_IMPORTERS(from))
        violations.push(`${what}: only slack/ and the composition root import slack/`);
      if (!rule || to === from) continue;
      const allowed = rule.layers.includes(to) || (typeOnly && (rule.typeLayers ?? []).includes(to));
      if (!allowed) violations.push(`${what}: ${from}/ may import only ${rule.layers.join(', ')}`);
    }
  }
  return violations;
}

describe('the layers of src/', () => {
  it('depend one way only', () => {
    const files = sourceFiles(path.resolve('src'));
    // The scan really read the tree: every layer is there, with its imports.
    for (const layer of ['domain', 'messages', 'db', 'services', 'outbox', 'slack/views', 'slack'])
      expect(
        files.some((file) => layerOf(file.path) === layer && file.imports.length > 0),
        layer,
      ).toBe(true);
    expect(layerViolations(files)).toEqual([]);
  });
});

describe('the layer checker', () => {
  const file = (filePath: string, ...imports: (string | Import)[]): SourceFile => ({
    path: filePath,
    imports: imports.map((entry) => (typeof entry === 'string' ? { specifier: entry, typeOnly: false } : entry)),
  });

  it('reads static, multi-line, type-only, re-exported and dynamic imports', () => {
    const source = [
      "import { a } from './a.ts';",
      'import {',
      '  b,',
      '  type C,',
      "} from '../b.ts';",
      "import type { D } from '@slack/types';",
      "export { e } from './e.ts';",
      "export type { F } from './f.ts';",
      "import './side-effect.ts';",
      "const g = await import('g-package');",
      "const text = 'not an import from here';",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: './a.ts', typeOnly: false },
      { specifier: '../b.ts', typeOnly: false },
      { specifier: '@slack/types', typeOnly: true },
      { specifier: './e.ts', typeOnly: false },
      { specifier: './f.ts', typeOnly: true },
      { specifier: './side-effect.ts', typeOnly: false },
      { specifier: 'g-package', typeOnly: false },
    ]);
  });

  it('accepts imports that go the right way', () => {
    expect(
      layerViolations([
        file('src/domain/lifecycle.ts', './bug-status.ts', 'node:crypto'),
        file('src/messages/bug-card.ts', '../domain/bug-status.ts', './blocks.ts', {
          specifier: '@slack/types',
          typeOnly: true,
        }),
        file('src/db/entities/slack-notice.entity.ts', '@mikro-orm/core', {
          specifier: '../../messages/blocks.ts',
          typeOnly: true,
        }),
        file('src/services/bug-lifecycle.ts', '../app-context.ts', '../db/orm.ts', '../messages/thread-notices.ts'),
        file('src/outbox/outbox-notifier.ts', '../db/orm.ts', '../messages/bug-card.ts', '../logger.ts'),
        file('src/slack/views/sweep-views.ts', '../../services/sweep/sweep-control.ts', '../../messages/blocks.ts'),
        file('src/slack/listeners/commands/list.ts', '../../views/bug-list.ts', '../../../services/bug-queries.ts'),
        file('src/bugsweep.ts', './slack/app.ts'),
      ]),
    ).toEqual([]);
  });

  it('names each import that reaches the wrong way', () => {
    const violations = layerViolations([
      file('src/domain/staleness.ts', '../db/orm.ts', 'croner', 'node:fs'),
      file('src/messages/thread-notices.ts', '../services/notices.ts', '@slack/types'),
      file('src/db/entities/slack-notice.entity.ts', '../../messages/blocks.ts'),
      file('src/services/report-bug.ts', '../slack/ephemeral.ts', '../outbox/slack-failure.ts'),
      file('src/outbox/outbox-notifier.ts', '../services/notices.ts'),
      file('src/slack/views/bug-list.ts', '../../db/entities/index.ts'),
      file('src/slack/app.ts', '../cli/sweep-cli.ts'),
    ]);
    expect(violations).toEqual([
      expect.stringMatching(/^src\/domain\/staleness\.ts imports \.\.\/db\/orm\.ts: domain\/ may import only domain$/),
      expect.stringContaining('src/domain/staleness.ts imports croner: domain/ may not use croner'),
      expect.stringContaining('src/domain/staleness.ts imports node:fs: domain/ may not use node:fs'),
      expect.stringContaining('src/messages/thread-notices.ts imports ../services/notices.ts'),
      expect.stringContaining('src/messages/thread-notices.ts imports @slack/types: messages/ may not use'),
      expect.stringContaining('src/db/entities/slack-notice.entity.ts imports ../../messages/blocks.ts'),
      expect.stringContaining('only slack/ and the composition root import slack/'),
      expect.stringContaining('src/services/report-bug.ts imports ../slack/ephemeral.ts: services/ may import only'),
      expect.stringContaining('src/services/report-bug.ts imports ../outbox/slack-failure.ts'),
      expect.stringContaining('src/outbox/outbox-notifier.ts imports ../services/notices.ts'),
      expect.stringContaining('src/slack/views/bug-list.ts imports ../../db/entities/index.ts'),
      expect.stringContaining('src/slack/app.ts imports ../cli/sweep-cli.ts: nothing imports the command line'),
    ]);
  });
});
