// Times in notices are concrete and in the sweep's time zone: "Tue 24 Nov, 14:00 UTC".
const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatMoment(at: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}
