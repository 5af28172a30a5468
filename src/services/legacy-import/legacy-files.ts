// Reading the old flat-file reports: a JSON array of reports, one report object per file, or JSON lines
// (`.jsonl`, `.ndjson`), from one file or every such file in a folder (in name order). Everything is read before
// anything is written, so a malformed file stops the import at once with nothing half done.
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findJsonFault } from '../../domain/json-position.ts';

/** Where a record sits: the file, and its line (JSON lines) or its place in the array (1-based). */
export type RecordPosition = { file: string; line?: number; index?: number };

/**
 * One record as read: a JSON value, or one that is rejected as read (the run goes on): a JSON line that did not
 * parse, or a record whose text is not UTF-8 (its value is kept, to name its legacy id).
 */
export type ReadRecord =
  | { position: RecordPosition; value: unknown }
  | { position: RecordPosition; unreadable: string; value?: unknown };

/**
 * A file saved in another encoding (Latin-1, Windows-1252) reads with U+FFFD where its bytes are no UTF-8: a
 * record holding one is rejected, never imported with its text garbled.
 */
const NOT_UTF8 =
  'not UTF-8 text: the file holds bytes that are no UTF-8 (saved as Latin-1 or Windows-1252?); save it as UTF-8';
const FILE_NOT_UTF8 = 'the file is not UTF-8 text (saved as UTF-16, Latin-1 or Windows-1252?): save it as UTF-8';
const garbled = (value: unknown) => JSON.stringify(value).includes('\uFFFD');

export class MalformedFileError extends Error {
  readonly file: string;
  constructor(file: string, where: string, detail: string) {
    super(`${file}${where ? ` (${where})` : ''} is not valid JSON: ${detail}`);
    this.name = 'MalformedFileError';
    this.file = file;
  }
}

export function describePosition(position: RecordPosition): string {
  if (position.line !== undefined) return `${position.file}:${position.line}`;
  if (position.index !== undefined) return `${position.file}#${position.index}`;
  return position.file;
}

const LINE_FILE = /\.(jsonl|ndjson)$/i;
const JSON_FILE = /\.(json|jsonl|ndjson)$/i;

/** The files an input names: the file itself, or the JSON files directly in the folder, by name. */
export function legacyFilesIn(input: string): string[] {
  const stat = statSync(input);
  if (!stat.isDirectory()) return [input];
  return readdirSync(input)
    .filter((name) => JSON_FILE.test(name))
    .sort()
    .map((name) => path.join(input, name))
    .filter((file) => statSync(file).isFile());
}

/** Line and column of a character offset, 1-based. */
function lineAndColumn(textValue: string, offset: number): string {
  const before = textValue.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Why and where a text that JSON.parse refused stops being JSON. */
function faultOf(content: string): { where: string; reason: string } {
  const fault = findJsonFault(content);
  if (!fault) return { where: '', reason: 'not JSON' };
  return { where: lineAndColumn(content, fault.offset), reason: fault.reason };
}

export function readLegacyFile(file: string): ReadRecord[] {
  const bytes = readFileSync(file);
  const utf8 = isUtf8(bytes);
  const content = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (LINE_FILE.test(file)) return readJsonLines(file, content, utf8);
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    const { where, reason } = faultOf(content);
    throw new MalformedFileError(file, where, utf8 ? reason : `${reason}; ${FILE_NOT_UTF8}`);
  }
  const read = (position: RecordPosition, value: unknown): ReadRecord =>
    !utf8 && garbled(value) ? { position, unreadable: NOT_UTF8, value } : { position, value };
  if (Array.isArray(parsed)) return parsed.map((value, i) => read({ file, index: i + 1 }, value));
  if (typeof parsed === 'object' && parsed !== null) return [read({ file }, parsed)];
  throw new MalformedFileError(file, '', 'expected an array of reports or one report object');
}

function readJsonLines(file: string, content: string, utf8: boolean): ReadRecord[] {
  const records: ReadRecord[] = [];
  let parsedAny = false;
  let firstBad: { line: number; reason: string } | null = null;
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const position = { file, line: i + 1 };
    try {
      const value: unknown = JSON.parse(line);
      records.push(!utf8 && garbled(value) ? { position, unreadable: NOT_UTF8, value } : { position, value });
      parsedAny = true;
    } catch {
      const { where, reason } = faultOf(line);
      firstBad ??= { line: i + 1, reason };
      records.push({
        position,
        unreadable: `not valid JSON: ${reason}${where ? ` (${where.replace('line 1, ', '')})` : ''}`,
      });
    }
  }
  // Not one line is JSON: this is no JSON lines file at all.
  if (!parsedAny && firstBad)
    throw new MalformedFileError(
      file,
      `line ${firstBad.line}`,
      utf8 ? firstBad.reason : `${firstBad.reason}; ${FILE_NOT_UTF8}`,
    );
  return records;
}

/** The rejects file (`--rejects`) named as the input itself: writing it would destroy the reports. */
export class RejectsFileIsInputError extends Error {
  constructor(file: string) {
    super(`${file} is the input: the rejects file (--rejects) would overwrite it. Pick another rejects file.`);
    this.name = 'RejectsFileIsInputError';
  }
}

/**
 * Every record of the input, in order; throws MalformedFileError for the first file that is not JSON at all. The
 * rejects file is never read as input (an earlier run may have left it in the input folder), and is refused as the
 * input itself.
 */
export function readLegacyInput(input: string, rejectsPath: string | null = null): ReadRecord[] {
  const rejects = rejectsPath ? path.resolve(rejectsPath) : null;
  const files = legacyFilesIn(input);
  if (rejects && !statSync(input).isDirectory() && path.resolve(input) === rejects)
    throw new RejectsFileIsInputError(input);
  return files.filter((file) => path.resolve(file) !== rejects).flatMap(readLegacyFile);
}
