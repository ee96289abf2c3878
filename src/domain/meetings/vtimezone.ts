import { DateTime, IANAZone } from "luxon";

/**
 * VTIMEZONE components (RFC 5545 §3.6.5) built from the runtime's time zone database, so a
 * calendar file carries the rules its TZID times need and any calendar program reads them the
 * same way. ical-generator leaves this to a "generator" function; this is ours.
 *
 * The zone's offset changes over a span of years are found by scanning, then each kind of change
 * (say +00:00 → +01:00) that repeats on the same weekday rule every year up to the end of the span
 * is written once with a yearly RRULE, so it keeps applying after the span; anything irregular is
 * written out change by change.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

interface Change {
  at: number;
  fromMinutes: number;
  toMinutes: number;
  daylight: boolean;
  abbreviation: string | null;
  /** The wall-clock time just before the change, which is how RFC 5545 writes DTSTART here. */
  wall: { year: number; month: number; day: number; weekday: number; time: string; daysInMonth: number };
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

function wallOf(at: number, offsetMinutes: number): Change["wall"] {
  const wall = new Date(at + offsetMinutes * MINUTE_MS);
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth() + 1;
  return {
    year,
    month,
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    time: wall.toISOString().slice(11, 19).replaceAll(":", ""),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

// Each locale knows the abbreviations used where it is spoken (en-US: EDT, en-GB: BST); a
// generic "GMT+1" is the fallback.
const ABBREVIATION_LOCALES = ["en-US", "en-GB", "en-AU", "en-IN"];

function abbreviationAt(zone: string, at: number): string | null {
  let fallback: string | null = null;
  for (const locale of ABBREVIATION_LOCALES) {
    const name = DateTime.fromMillis(at, { zone }).setLocale(locale).offsetNameShort;
    if (!name || !/^[A-Za-z0-9+:-]{1,12}$/.test(name)) continue;
    if (!name.startsWith("GMT") || name === "GMT") return name;
    fallback ??= name;
  }
  return fallback;
}

function changesBetween(zoneName: string, fromMs: number, toMs: number): Change[] {
  const zone = IANAZone.create(zoneName);
  const changes: Change[] = [];
  let before = fromMs;
  let offset = zone.offset(before);
  while (before < toMs) {
    const after = before + DAY_MS;
    const next = zone.offset(after);
    if (next !== offset) {
      let low = before;
      let high = after;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (zone.offset(middle) === offset) low = middle;
        else high = middle;
      }
      const at = high;
      changes.push({
        at,
        fromMinutes: offset,
        toMinutes: next,
        daylight: DateTime.fromMillis(at, { zone: zoneName }).isInDST,
        abbreviation: abbreviationAt(zoneName, at),
        wall: wallOf(at, offset),
      });
    }
    before = after;
    offset = next;
  }
  return changes;
}

const DAY_CODES = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;

type Ordinal = number;

function ordinalsOf(change: Change): Ordinal[] {
  const nth = Math.ceil(change.wall.day / 7);
  return change.wall.day + 7 > change.wall.daysInMonth ? [-1, nth] : [nth];
}

function follows(change: Change, rule: Change, ordinal: Ordinal): boolean {
  return (
    change.wall.month === rule.wall.month &&
    change.wall.weekday === rule.wall.weekday &&
    change.wall.time === rule.wall.time &&
    ordinalsOf(change).includes(ordinal)
  );
}

/** The longest run at the end of a series of same-kind changes that follows one yearly rule. */
function yearlyRun(series: Change[], lastYear: number): { start: number; ordinal: Ordinal } | null {
  const last = series.at(-1);
  if (!last || last.wall.year !== lastYear) return null;
  let best: { start: number; ordinal: Ordinal } | null = null;
  for (const ordinal of ordinalsOf(last)) {
    let start = series.length - 1;
    while (start > 0) {
      const earlier = series[start - 1];
      const current = series[start];
      if (!earlier || !current || earlier.wall.year !== current.wall.year - 1 || !follows(earlier, last, ordinal)) break;
      start--;
    }
    if (series.length - start >= 2 && (!best || start < best.start)) best = { start, ordinal };
  }
  return best;
}

function observance(change: Change, rrule: string | null): string[] {
  const kind = change.daylight ? "DAYLIGHT" : "STANDARD";
  const { year, month, day, time } = change.wall;
  return [
    `BEGIN:${kind}`,
    `DTSTART:${String(year).padStart(4, "0")}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}T${time}`,
    `TZOFFSETFROM:${offsetText(change.fromMinutes)}`,
    `TZOFFSETTO:${offsetText(change.toMinutes)}`,
    ...(change.abbreviation ? [`TZNAME:${change.abbreviation}`] : []),
    ...(rrule ? [rrule] : []),
    `END:${kind}`,
  ];
}

/**
 * The VTIMEZONE for `zone`, valid for times from the start of `fromYear` on (and beyond `toYear`
 * while the zone's current yearly rule holds). Null for a name the runtime does not know.
 */
export function vtimezone(zone: string, fromYear: number, toYear = fromYear + 5): string | null {
  if (!IANAZone.isValidZone(zone)) return null;
  const fromMs = Date.UTC(fromYear, 0, 1);
  const changes = changesBetween(zone, fromMs, Date.UTC(toYear + 1, 0, 1));
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  const offset = IANAZone.create(zone).offset(fromMs);
  // Times before the first change in the span still need an offset: the one in force when it starts.
  const opening: Change = {
    at: fromMs,
    fromMinutes: offset,
    toMinutes: offset,
    daylight: DateTime.fromMillis(fromMs, { zone }).isInDST,
    abbreviation: abbreviationAt(zone, fromMs),
    wall: wallOf(fromMs, offset),
  };
  const observances: Array<{ at: number; lines: string[] }> = [{ at: fromMs, lines: observance(opening, null) }];
  const series = new Map<string, Change[]>();
  for (const change of changes) {
    const key = `${change.fromMinutes}>${change.toMinutes}`;
    series.set(key, [...(series.get(key) ?? []), change]);
  }
  for (const list of series.values()) {
    const run = yearlyRun(list, toYear);
    const explicitUntil = run ? run.start : list.length;
    list.slice(0, explicitUntil).forEach((change) => {
      observances.push({ at: change.at, lines: observance(change, null) });
    });
    const first = run ? list[run.start] : undefined;
    if (run && first) {
      const byDay = `${run.ordinal}${DAY_CODES[first.wall.weekday]}`;
      observances.push({ at: first.at, lines: observance(first, `RRULE:FREQ=YEARLY;BYMONTH=${first.wall.month};BYDAY=${byDay}`) });
    }
  }
  observances.sort((a, b) => a.at - b.at);
  for (const item of observances) lines.push(...item.lines);
  lines.push("END:VTIMEZONE");
  return lines.join("\r\n");
}
