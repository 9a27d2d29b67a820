import humanizeDuration from 'humanize-duration';

/** "45 min", "3 h 12 min", "2 d 4 h": durations as people read them. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  if (hours < 24) return restMinutes === 0 ? `${hours} h` : `${hours} h ${restMinutes} min`;
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? `${days} d` : `${days} d ${restHours} h`;
}

const UNITS: humanizeDuration.Unit[] = ['d', 'h', 'm'];

/** "1 hour and 30 minutes", "2 days": a duration as a sentence says it (an SLA target, exact to the minute). */
export function sayDuration(ms: number): string {
  return humanizeDuration(ms, {
    largest: 2,
    round: true,
    units: UNITS,
    conjunction: ' and ',
    serialComma: false,
  });
}

/** "about 2 hours", "about 20 minutes": a typical time, rounded to its largest unit. */
export function sayAboutDuration(ms: number): string {
  return `about ${humanizeDuration(Math.max(ms, 60_000), { largest: 1, round: true, units: UNITS })}`;
}
