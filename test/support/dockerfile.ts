// Reads the Dockerfile as Docker does (comments dropped, `\` continuations joined, one instruction a line, stages
// split at FROM), so tests can hold the container recipe to what it promises without building an image.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './bot-process.ts';

export type Instruction = { keyword: string; args: string };
export type Stage = { from: string; name: string | null; instructions: Instruction[] };
export type Dockerfile = { args: Record<string, string>; stages: Stage[] };

export function readDockerfile(file = path.join(PROJECT_ROOT, 'Dockerfile')): Dockerfile {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'));
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of lines) {
    pending += line.trim().endsWith('\\') ? `${line.trim().slice(0, -1)} ` : line.trim();
    if (line.trim().endsWith('\\')) continue;
    const text = pending.replace(/\s+/g, ' ').trim();
    pending = '';
    if (!text) continue;
    const space = text.indexOf(' ');
    instructions.push({ keyword: text.slice(0, space).toUpperCase(), args: text.slice(space + 1) });
  }
  const dockerfile: Dockerfile = { args: {}, stages: [] };
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.split(' ');
      dockerfile.stages.push({ from: from!, name: as?.toUpperCase() === 'AS' ? name! : null, instructions: [] });
    } else if (dockerfile.stages.length === 0 && instruction.keyword === 'ARG') {
      const [name, value] = instruction.args.split('=');
      dockerfile.args[name!] = value ?? '';
    } else {
      dockerfile.stages.at(-1)?.instructions.push(instruction);
    }
  }
  return dockerfile;
}

/** The instructions of one kind in a stage, in order. */
export function instructionsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map(({ args }) => args);
}

/** An exec-form argument list (`["node", "x.mjs"]`), or null for the shell form, which runs under `/bin/sh -c`. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  return JSON.parse(args) as string[];
}

/** A COPY's sources and destination, and the stage it copies from (null: the build context). */
export function copyOf(args: string): { from: string | null; sources: string[]; destination: string } {
  const words = args.split(' ');
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length) ?? null;
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}
