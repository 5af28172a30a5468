// Which objects a heap holds more of in one snapshot than in another: counts and self sizes by constructor (or
// node type for strings, code and the like), biggest growth first.
//   node bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [top=30]
import { readFile } from 'node:fs/promises';

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};
type Tally = Map<string, { count: number; bytes: number }>;

export async function tallyHeap(file: string): Promise<Tally> {
  const heap = JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const tally: Tally = new Map();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt]!] ?? '?';
    const name = heap.strings[heap.nodes[i + nameAt]!] ?? '?';
    const key = type === 'object' || type === 'closure' ? `${type} ${name}` : `(${type})`;
    const entry = tally.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += heap.nodes[i + sizeAt]!;
    tally.set(key, entry);
  }
  return tally;
}

export function diffTallies(before: Tally, after: Tally, top = 30): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const rows = [...keys].map((key) => {
    const b = before.get(key) ?? { count: 0, bytes: 0 };
    const a = after.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: a.count - b.count, bytes: a.bytes - b.bytes };
  });
  rows.sort((x, y) => y.bytes - x.bytes);
  const total = (t: Tally) => [...t.values()].reduce((sum, e) => sum + e.bytes, 0) / 1024 / 1024;
  return [
    `heap: ${total(before).toFixed(1)} MB → ${total(after).toFixed(1)} MB`,
    ...rows
      .slice(0, top)
      .map((r) => `${(r.bytes / 1024).toFixed(0).padStart(9)} KB ${String(r.count).padStart(8)} × ${r.key}`),
  ];
}

if (import.meta.main) {
  const [beforeFile, afterFile, topArg] = process.argv.slice(2);
  if (!beforeFile || !afterFile) {
    console.error('usage: node bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [top=30]');
    process.exit(1);
  }
  const top = Number(topArg?.replace('top=', '') ?? 30);
  for (const line of diffTallies(await tallyHeap(beforeFile), await tallyHeap(afterFile), top)) console.log(line);
}
