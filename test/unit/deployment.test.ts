// The container recipe, read without Docker (this machine cannot build images): the Dockerfile runs the Node that
// package.json pins, installs production dependencies only, runs as a non-root user, checks /healthz, keeps the data
// folder in a volume and starts `node` itself so `docker stop`'s SIGTERM reaches the bot; compose.yaml runs it
// against PostgreSQL; and nothing src/ or bin/ imports at run time is a devDependency.
// test/e2e/production-install.test.ts installs and starts what the Dockerfile copies.
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, START_NODE_FLAGS } from '../support/bot-process.ts';
import { copyOf, execForm, instructionsOf, readDockerfile } from '../support/dockerfile.ts';
import { packageName, type SourceFile, sourceFiles } from '../support/source-imports.ts';

type PackageJson = {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as PackageJson;
const dockerfile = readDockerfile();
const final = dockerfile.stages.at(-1)!;
const envOf = (stage: typeof final) =>
  Object.fromEntries(
    instructionsOf(stage, 'ENV').flatMap((args) =>
      [...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map((match) => [match[1]!, match[2]!.replace(/^"|"$/g, '')]),
    ),
  );

describe('the Dockerfile', () => {
  it('builds every stage on the slim image of the Node that package.json pins as its node dependency', () => {
    expect(dockerfile.args.NODE_VERSION).toBe(pkg.dependencies.node);
    expect(Number(dockerfile.args.NODE_VERSION!.split('.')[0])).toBeGreaterThanOrEqual(24);
    expect(pkg.engines.node).toBe('>=24.0.0');
    expect(dockerfile.stages.length).toBeGreaterThan(0);
    for (const stage of dockerfile.stages) expect(stage.from).toBe('node:${NODE_VERSION}-slim');
  });

  it('installs the lockfile with npm ci --omit=dev, and nothing with npm install', () => {
    const runs = dockerfile.stages.flatMap((stage) => instructionsOf(stage, 'RUN'));
    expect(runs.some((run) => /\bnpm ci\b(?:(?!&&)[^;|])*--omit=dev\b/.test(run))).toBe(true);
    expect(runs.filter((run) => /\bnpm (?:install|i|add)\b/.test(run))).toEqual([]);
  });

  it('starts node itself as PID 1 (exec form, no npm, no shell, no entrypoint), so SIGTERM reaches the bot', () => {
    const cmds = instructionsOf(final, 'CMD');
    expect(cmds).toHaveLength(1);
    // With npm start's V8 flags (a bounded young generation, a slowly growing heap: issue 12's memory under garbage).
    expect(START_NODE_FLAGS).toEqual(['--max-semi-space-size=4', '--optimize-for-size']);
    expect(execForm(cmds[0]!)).toEqual(['node', ...START_NODE_FLAGS, 'bin/bugsweep.mjs']);
    expect(existsSync(path.join(PROJECT_ROOT, 'bin/bugsweep.mjs'))).toBe(true);
    expect(instructionsOf(final, 'ENTRYPOINT')).toEqual([]);
    expect(instructionsOf(final, 'STOPSIGNAL').every((signal) => signal === 'SIGTERM')).toBe(true);
  });

  it('runs as a non-root user from before its command', () => {
    const keywords = final.instructions.map(({ keyword }) => keyword);
    const users = instructionsOf(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(?:root|0)(?::|$)/);
    expect(keywords.lastIndexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
    expect(keywords.slice(keywords.lastIndexOf('USER')).filter((keyword) => keyword === 'RUN')).toEqual([]);
  });

  it('checks /healthz with node (slim images have no curl) and keeps DATA_DIR in a volume', () => {
    const [healthcheck, ...more] = instructionsOf(final, 'HEALTHCHECK');
    expect(more).toEqual([]);
    const command = healthcheck!.slice(healthcheck!.indexOf('CMD ') + 'CMD '.length);
    expect(execForm(command)).toEqual(['node', 'bin/healthcheck.mjs']);
    expect(readFileSync(path.join(PROJECT_ROOT, 'bin/healthcheck.mjs'), 'utf8')).toContain('/healthz');
    const env = envOf(final);
    expect(env.NODE_ENV).toBe('production');
    expect(env.DATA_DIR).toBeDefined();
    const volumes = instructionsOf(final, 'VOLUME').flatMap((args) => execForm(args) ?? args.split(' '));
    expect(volumes).toContain(env.DATA_DIR);
  });

  it('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const ignored = readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const secretOrLocal of ['.env', 'node_modules', '.data', '.git']) expect(ignored).toContain(secretOrLocal);
    const copies = dockerfile.stages.flatMap((stage) => instructionsOf(stage, 'COPY').map(copyOf));
    const fromContext = copies.filter((copy) => copy.from === null).flatMap((copy) => copy.sources);
    expect(fromContext).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'bin', 'src']));
    for (const source of fromContext) {
      expect(existsSync(path.join(PROJECT_ROOT, source)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
  });
});

describe('compose.yaml', () => {
  const compose = readFileSync(path.join(PROJECT_ROOT, 'compose.yaml'), 'utf8');

  it('builds this folder, runs the image as it is (no command or entrypoint), against PostgreSQL once it is healthy', () => {
    expect(compose).toMatch(/^ {4}build: \.$/m);
    expect(compose).not.toMatch(/^\s+(?:command|entrypoint):/m);
    expect(compose).toMatch(/^ {6}DATABASE_URL: .*postgresql:\/\/.*@postgres:5432\/bugsweep\}?$/m);
    expect(compose).toMatch(/^ {4}image: postgres:18$/m);
    expect(compose).toMatch(/condition: service_healthy/);
    expect(compose).toMatch(/test: \["CMD-SHELL", "pg_isready/);
  });

  it('gives the bot longer to stop than its own 25 s shutdown limit', () => {
    const grace = /^ {4}stop_grace_period: (\d+)s$/m.exec(compose);
    expect(Number(grace?.[1])).toBeGreaterThan(25);
    expect(readFileSync(path.join(PROJECT_ROOT, 'src/main.ts'), 'utf8')).toContain('}, 25_000);');
  });
});

/** Imports the running bot would fail on without dev dependencies: npm packages that are not `dependencies`. */
function devOnlyImports(files: readonly SourceFile[], dependencies: Record<string, string>): string[] {
  return files.flatMap((file) =>
    file.imports
      .filter(({ specifier, typeOnly }) => !typeOnly && !specifier.startsWith('.') && !isBuiltin(specifier))
      .map(({ specifier }) => specifier)
      .filter((specifier) => !(packageName(specifier) in dependencies))
      .map((specifier) => `${file.path} imports ${specifier}`),
  );
}

describe('the production dependency set', () => {
  it('holds every package that src/ and bin/ import at run time (types may come from devDependencies)', () => {
    const files = [
      ...sourceFiles(path.join(PROJECT_ROOT, 'src')),
      ...sourceFiles(path.join(PROJECT_ROOT, 'bin'), ['.mjs']),
    ];
    expect(files.some((file) => file.path.endsWith('bin/bugsweep.mjs'))).toBe(true);
    expect(
      files.flatMap((file) => file.imports).filter((entry) => !entry.specifier.startsWith('.')).length,
    ).toBeGreaterThan(20);
    expect(devOnlyImports(files, pkg.dependencies)).toEqual([]);
  });

  it('is checked by a checker that names a devDependency imported at run time', () => {
    const file = (imports: SourceFile['imports']): SourceFile => ({ path: 'src/made-up.ts', imports });
    expect(
      devOnlyImports(
        [
          file([
            { specifier: 'pino', typeOnly: false },
            { specifier: '@slack/bolt', typeOnly: false },
            { specifier: 'node:fs', typeOnly: false },
            { specifier: 'ws', typeOnly: true },
            { specifier: './local.ts', typeOnly: false },
            { specifier: 'ws', typeOnly: false },
            { specifier: '@types/node/fs', typeOnly: false },
          ]),
        ],
        pkg.dependencies,
      ),
    ).toEqual(['src/made-up.ts imports ws', 'src/made-up.ts imports @types/node/fs']);
  });
});
