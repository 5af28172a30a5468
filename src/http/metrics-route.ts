// GET /metrics in Prometheus' text format, on PORT in both Slack modes; with METRICS_TOKEN set, only with
// `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Hono } from 'hono';
import type { AppContext } from '../app-context.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function mountMetrics(app: Hono, ctx: AppContext): void {
  const token = ctx.config.metricsToken;
  app.get('/metrics', async (c) => {
    if (token) {
      const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(presented), digest(token))) {
        return c.text('metrics need Authorization: Bearer <METRICS_TOKEN>\n', 401, { 'www-authenticate': 'Bearer' });
      }
    }
    const body = await ctx.metrics.scrape();
    return c.body(body, 200, { 'content-type': ctx.metrics.registry.contentType });
  });
}
