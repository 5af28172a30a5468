// Durations in settings: "30s", "15m", "12h", "5d", "1w", combinations like "1d12h", or "0".
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Milliseconds for a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === '0') return 0;
  const parts = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!parts || value === '') return null;
  const [, w, d, h, m, s] = parts;
  return (
    Number(w ?? 0) * UNIT_MS.w +
    Number(d ?? 0) * UNIT_MS.d +
    Number(h ?? 0) * UNIT_MS.h +
    Number(m ?? 0) * UNIT_MS.m +
    Number(s ?? 0) * UNIT_MS.s
  );
}

/** A short human form of a span: "3d 4h", "45m", "20s". */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.round(ms / 1000));
  const days = Math.floor(abs / 86_400);
  const hours = Math.floor((abs % 86_400) / 3_600);
  const minutes = Math.floor((abs % 3_600) / 60);
  const seconds = abs % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

/** A duration's parts: weeks and days apart from the time of day (h, m, s), for clocks whose days are not 24h. */
export type DurationParts = { weeks: number; days: number; timeMs: number };

/** The parts of a duration string, or null when it is not one (the same forms parseDuration takes). */
export function parseDurationParts(text: string): DurationParts | null {
  const value = text.trim().toLowerCase();
  if (value === '0') return { weeks: 0, days: 0, timeMs: 0 };
  const parts = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!parts || value === '') return null;
  const [, w, d, h, m, s] = parts;
  return {
    weeks: Number(w ?? 0),
    days: Number(d ?? 0),
    timeMs: Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s,
  };
}
