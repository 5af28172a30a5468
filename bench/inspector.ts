// The bot's heap seen from outside, through its inspector (the bot started with --inspect=127.0.0.1:<port>): a full
// garbage collection, the heap used after it, and heap snapshots for finding what is retained.
import { createWriteStream } from 'node:fs';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export type Inspector = {
  /** A full garbage collection, then the heap in use (MB) as process.memoryUsage() reports it. */
  heapAfterGcMb(): Promise<number>;
  /** Writes a heap snapshot (taken after a full collection) to `file`. */
  snapshot(file: string): Promise<void>;
  /** process.memoryUsage() and V8's heap spaces (MB), without a collection first. */
  memory(): Promise<Record<string, number>>;
  /** Starts V8's sampling heap profiler; `stop` returns the bytes allocated per function, most first. */
  sampleAllocations(): Promise<{ stop(top?: number): Promise<string[]> }>;
  close(): void;
};

type ProfileNode = {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
};

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`could not connect to ${url}`)), { once: true });
  });
  let seq = 0;
  const pending = new Map<number, Pending>();
  let onChunk: ((chunk: string) => void) | null = null;
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: { chunk?: string };
    };
    if (data.method === 'HeapProfiler.addHeapSnapshotChunk') onChunk?.(data.params?.chunk ?? '');
    if (data.id === undefined) return;
    const waiting = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) waiting?.reject(new Error(data.error.message));
    else waiting?.resolve(data.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      seq += 1;
      pending.set(seq, { resolve, reject });
      socket.send(JSON.stringify({ id: seq, method, params }));
    });

  return {
    async heapAfterGcMb() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const result = (await call('Runtime.evaluate', {
        expression: 'process.memoryUsage().heapUsed',
        includeCommandLineAPI: true,
        returnByValue: true,
      })) as { result: { value: number } };
      return result.result.value / 1024 / 1024;
    },
    async memory() {
      const expression = `(() => {
        const mb = (n) => Math.round(n / 1048576 * 10) / 10;
        const usage = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]));
        for (const space of require('node:v8').getHeapSpaceStatistics()) usage[space.space_name] = mb(space.space_size);
        return usage;
      })()`;
      const result = (await call('Runtime.evaluate', {
        expression,
        includeCommandLineAPI: true,
        returnByValue: true,
      })) as {
        result: { value: Record<string, number> };
      };
      return result.result.value;
    },
    async sampleAllocations() {
      // Every object, not one in 32 KB: what is allocated and collected at once counts too.
      await call('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      return {
        async stop(top = 25) {
          const { profile } = (await call('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
          const bySite = new Map<string, number>();
          const walk = (node: ProfileNode, stack: string[]) => {
            const frame = node.callFrame;
            const here = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '')}:${frame.lineNumber + 1}`;
            const path = [...stack, here].slice(-4);
            if (node.selfSize > 0) bySite.set(path.join(' < '), (bySite.get(path.join(' < ')) ?? 0) + node.selfSize);
            for (const child of node.children) walk(child, path);
          };
          walk(profile.head, []);
          return [...bySite]
            .sort((a, b) => b[1] - a[1])
            .slice(0, top)
            .map(
              ([site, bytes]) =>
                `${(bytes / 1048576).toFixed(1).padStart(7)} MB  ${site.split(' < ').reverse().join(' < ')}`,
            );
        },
      };
    },
    async snapshot(file) {
      const out = createWriteStream(file);
      onChunk = (chunk) => out.write(chunk);
      try {
        await call('HeapProfiler.collectGarbage');
        await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      } finally {
        onChunk = null;
        await new Promise<void>((resolve) => out.end(resolve));
      }
    },
    close: () => socket.close(),
  };
}
