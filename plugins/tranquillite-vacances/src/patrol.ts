// The day's patrol list: the homes under watch that day, in a route from the
// police station, with suggested times that change from day to day so that
// nobody watching the street can learn the patrol's habits.
//
// The route is nearest neighbour from the station, then improved by 2-opt
// (reversing a stretch whenever that shortens the walk) until nothing
// improves: a few hundred homes at most, so the O(n²) passes stay instant.

export interface Stop {
  id: string;
  lon: number | null;
  lat: number | null;
}

type Point = { lon: number; lat: number };

/** Metres between two points (equirectangular: fine within a commune). */
export function distance(a: Point, b: Point): number {
  const x = ((b.lon - a.lon) * Math.PI * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180)) / 180;
  const y = ((b.lat - a.lat) * Math.PI) / 180;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

/** Orders the stops into a route from `start`; stops without coordinates come last, in their order. */
export function planRoute<T extends Stop>(start: Point | undefined, stops: T[]): T[] {
  const located = stops.filter((s): s is T & Point => s.lon !== null && s.lat !== null);
  const rest = stops.filter((s) => s.lon === null || s.lat === null);
  if (located.length === 0) return rest;
  const origin = start ?? {
    lon: located.reduce((a, s) => a + s.lon, 0) / located.length,
    lat: located.reduce((a, s) => a + s.lat, 0) / located.length,
  };
  const left = [...located];
  const route: Array<T & Point> = [];
  let here: Point = origin;
  while (left.length > 0) {
    let best = 0;
    for (let i = 1; i < left.length; i++)
      if (distance(here, left[i]!) < distance(here, left[best]!)) best = i;
    here = left[best]!;
    route.push(...left.splice(best, 1));
  }
  // 2-opt: an open path from the origin, so reversing route[i..j] changes two edges.
  for (let improved = true; improved;) {
    improved = false;
    for (let i = 0; i < route.length - 1; i++) {
      for (let j = i + 1; j < route.length; j++) {
        const before = i === 0 ? origin : route[i - 1]!;
        const after = route[j + 1];
        const old = distance(before, route[i]!) + (after ? distance(route[j]!, after) : 0);
        const next = distance(before, route[j]!) + (after ? distance(route[i]!, after) : 0);
        if (next + 1e-6 < old) {
          route.splice(i, j - i + 1, ...route.slice(i, j + 1).reverse());
          improved = true;
        }
      }
    }
  }
  return [...route, ...rest];
}

/** A small deterministic generator: the same day gives the same list when reprinted. */
function random(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Suggested visit times ("HH:MM", local) along the route, within the patrol
 * window: the start and the gaps vary with the day (seeded by commune and date).
 */
export function suggestTimes(n: number, window: { start: string; end: string }, seed: string): string[] {
  if (n === 0) return [];
  const from = minutes(window.start);
  const to = Math.max(minutes(window.end), from + n);
  const rnd = random(seed);
  const span = to - from;
  // Start somewhere in the first quarter of the window; gaps of ±40% around the even spacing.
  const start = from + Math.floor(rnd() * (span / 4));
  const gap = (to - start) / n;
  const out: string[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    const m = Math.min(to - 1, Math.round(t));
    out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
    t += gap * (0.6 + rnd() * 0.8);
  }
  return out;
}

/** UTC bounds of a calendar day in Europe/Paris ("YYYY-MM-DD"). */
export function parisDay(date: string): { from: Date; to: Date } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = (yy: number, mm: number, dd: number) => {
    const guess = Date.UTC(yy, mm - 1, dd);
    return new Date(guess - offset(guess));
  };
  return { from: at(y, m, d), to: at(y, m, d + 1) };
}

/** Milliseconds Europe/Paris is ahead of UTC at instant t. */
function offset(t: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(t));
  const get = (k: string) => Number(parts.find((p) => p.type === k)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - t;
}

export function parisToday(now = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
}
