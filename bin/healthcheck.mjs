#!/usr/bin/env node
// The container's HEALTHCHECK (node is in every image that runs the bot; slim images have no curl): exits 0 when
// GET /healthz on PORT answers 200 within 4 s, 1 otherwise, printing the answer so `docker inspect` shows why.
const port = process.env.PORT || '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4_000) });
  console.log(`${response.status} ${(await response.text()).slice(0, 500)}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.log(`no answer from http://127.0.0.1:${port}/healthz: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
