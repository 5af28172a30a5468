#!/usr/bin/env node
// Plain JavaScript on purpose: it must run, and explain itself, on a Node too old to read the TypeScript sources.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `bugsweep needs Node 24 or newer, this is ${process.version}: start it with "npm start" (it uses the Node 24 that npm installs).`,
  );
  process.exit(1);
}
await import('../src/main.ts');
