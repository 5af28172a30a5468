// Reads the imports of source files (without running them): the layer test and the production-dependency test
// both ask what a module imports.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Import = { specifier: string; typeOnly: boolean };
export type SourceFile = { path: string; imports: Import[] };

const STATIC_IMPORT = /^(?:import|export)\s+(type\s+)?(?:[\w\s{},*$]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import and re-export of a module's source text. `import type` is type-only; `import { type X }` is not. */
export function importsOf(source: string): Import[] {
  const imports: Import[] = [];
  for (const match of source.matchAll(STATIC_IMPORT)) imports.push({ specifier: match[2]!, typeOnly: !!match[1] });
  for (const match of source.matchAll(DYNAMIC_IMPORT)) imports.push({ specifier: match[1]!, typeOnly: false });
  return imports;
}

/** The npm package a bare specifier names: `@scope/name` or `name`, without any subpath. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Every module under `dir` whose name ends with one of `extensions`, with its path relative to the working directory. */
export function sourceFiles(dir: string, extensions: readonly string[] = ['.ts']): SourceFile[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .map((name) => {
      const full = path.join(dir, name);
      return {
        path: path.relative(process.cwd(), full).split(path.sep).join('/'),
        imports: importsOf(readFileSync(full, 'utf8')),
      };
    });
}
