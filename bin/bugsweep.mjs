#!/usr/bin/env node
import module from 'node:module';

// Plain JavaScript on purpose: it must run, and explain itself, on a Node too old to read the TypeScript sources.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `bugsweep needs Node 24 or newer, this is ${process.version}: start it with "npm start" (it uses the Node 24 that npm installs).`,
  );
  process.exit(1);
}
// Node's compile cache keeps, per source file and content hash, the type-stripped JavaScript and V8's code cache:
// from the second start on the TypeScript sources load without the type stripper (about 18 MB of resident memory
// for the rest of the process's life) and compile faster; a start after a change strips only the changed files.
// NODE_COMPILE_CACHE names the folder (default: node-compile-cache in the OS temp folder); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();
// Socket Mode's client and others load only when used (src/lazy-dependencies.ts says why); this goes first,
// as a source importing Bolt loads Bolt while its imports are linked, before any of its own code runs.
await import('../src/lazy-dependencies.ts');
await import('../src/main.ts');
