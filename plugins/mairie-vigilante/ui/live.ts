// What the console computes on the alerts it holds: the filters (applied by
// the server to the list, and here to what arrives live, so both agree),
// escalation, the chime. Plain functions, no React.

export type Severity = 'info' | 'important' | 'urgent';
export type Status = 'received' | 'acknowledged' | 'in_progress' | 'closed';

export interface ConsoleFilter {
  statuses: Status[];
  severities: Severity[];
  category: string;
  sector: string;
  /** Hours back, or 0 for every alert. */
  periodHours: number;
}

export const ALL_STATUSES: Status[] = ['received', 'acknowledged', 'in_progress', 'closed'];
export const ALL_SEVERITIES: Severity[] = ['urgent', 'important', 'info'];
export const OPEN_STATUSES: Status[] = ['received', 'acknowledged', 'in_progress'];

export const DEFAULT_FILTER: ConsoleFilter = {
  statuses: OPEN_STATUSES,
  severities: ALL_SEVERITIES,
  category: '',
  sector: '',
  periodHours: 0,
};

export interface LiveAlert {
  id: string;
  status: string;
  severity: string;
  createdAt: string;
  targetSectorIds: string[];
  category: { slug: string };
}

/** The server's filter variables (category stays client-side: the core's filter has none). */
export function serverFilter(f: ConsoleFilter, now: number) {
  return {
    statuses: f.statuses,
    severities: f.severities,
    ...(f.sector ? { sectorId: f.sector } : {}),
    ...(f.periodHours ? { since: new Date(now - f.periodHours * 3_600_000).toISOString() } : {}),
  };
}

export function matches(a: LiveAlert, f: ConsoleFilter, now: number): boolean {
  if (!f.statuses.includes(a.status as Status)) return false;
  if (!f.severities.includes(a.severity as Severity)) return false;
  if (f.category && a.category.slug !== f.category) return false;
  if (f.sector && !a.targetSectorIds.includes(f.sector)) return false;
  if (f.periodHours && Date.parse(a.createdAt) < now - f.periodHours * 3_600_000) return false;
  return true;
}

/** An urgent alert nobody has taken in charge yet: shown first, with the time since it arrived. */
export function escalated(a: { severity: string; status: string }): boolean {
  return a.severity === 'urgent' && a.status === 'received';
}

/** Minutes since the alert arrived, never negative (a clock a little ahead of the server's). */
export function minutesSince(iso: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
}

/** Escalated first, then newest first. */
export function consoleOrder<T extends { severity: string; status: string; createdAt: string }>(
  items: T[],
): T[] {
  return [...items].sort((a, b) => {
    const e = Number(escalated(b)) - Number(escalated(a));
    return e !== 0 ? e : Date.parse(b.createdAt) - Date.parse(a.createdAt);
  });
}

/**
 * A short chime through Web Audio (no sound file to fetch): two notes for an
 * urgent alert, one otherwise. Browsers only play after a user gesture on the
 * page; a console opened and never touched stays silent, and says so.
 */
export function chime(ctx: AudioContext, urgent: boolean): void {
  const notes = urgent ? [880, 660] : [660];
  notes.forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    const t0 = ctx.currentTime + i * 0.25;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.3, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.22);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + 0.24);
  });
}
