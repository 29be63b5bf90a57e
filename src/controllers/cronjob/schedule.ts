// Cron schedules as the CronJob controller reads them (robfig/cron's standard parser): five
// fields — minute hour day-of-month month day-of-week — with `*`, `?`, ranges `a-b`, steps `/n`,
// lists `a,b`, month and weekday names, descriptors (@hourly, @daily, ...), and a time zone from
// a `CRON_TZ=`/`TZ=` prefix or spec.timeZone (IANA names through Intl).
// As in cron: when both day fields are restricted, a day matches if EITHER matches.

export interface Schedule {
  minutes: Set<number>
  hours: Set<number>
  days: Set<number>
  months: Set<number>
  weekdays: Set<number>
  /** Day-of-month or day-of-week given as `*` / `?`: the two day fields are ANDed. */
  dayStar: boolean
  timeZone: string
  /** The first time strictly after `ms` that matches (whole minutes), or undefined within 5 years. */
  next(ms: number): number | undefined
}

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

interface FieldSpec { name: string, min: number, max: number, names?: string[], base?: number }
const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, base: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, base: 0 },
]

function value (text: string, f: FieldSpec): number {
  const i = f.names?.indexOf(text.toLowerCase()) ?? -1
  if (i >= 0) return i + (f.base ?? 0)
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}`)
  const n = Number(text)
  if (n < f.min || n > f.max) throw new Error(`${f.name} value ${n} out of range (${f.min}-${f.max})`)
  return n
}

function field (text: string, f: FieldSpec): { set: Set<number>, star: boolean } {
  const set = new Set<number>()
  let star = false
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/')
    if (extra !== undefined) throw new Error(`too many slashes: ${part}`)
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!Number.isInteger(step) || step < 1) throw new Error(`invalid step in ${part}`)
    let lo: number
    let hi: number
    if (range === '*' || range === '?') {
      lo = f.min
      hi = f.max === 7 ? 6 : f.max
      if (stepText === undefined) star = true
    } else {
      const [a, b, more] = range.split('-')
      if (more !== undefined) throw new Error(`too many hyphens: ${range}`)
      lo = value(a, f)
      hi = b === undefined ? (stepText === undefined ? lo : f.max) : value(b, f)
      if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${range}`)
    }
    for (let v = lo; v <= hi; v += step) set.add(f.max === 7 && v === 7 ? 0 : v)
  }
  return { set, star }
}

/** Validate an IANA zone name (throws RangeError-like Error otherwise). */
export function checkTimeZone (zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format(0)
  } catch {
    throw new Error(`unknown time zone ${zone}`)
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Local wall-clock fields of `ms` in `zone`. */
export function zonedFields (ms: number, zone: string): { year: number, month: number, day: number, hour: number, minute: number, weekday: number } {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' })
    formatters.set(zone, f)
  }
  const parts: Record<string, string> = {}
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), weekday: DAYS.indexOf(parts.weekday.toLowerCase()),
  }
}

/** Minutes east of UTC of `zone` at `ms`, e.g. 540 for Asia/Tokyo. */
export function zoneOffsetMinutes (ms: number, zone: string): number {
  const z = zonedFields(ms, zone)
  const asUtc = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute)
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000)
}

export function parseSchedule (text: string, timeZone?: string): Schedule {
  let spec = text.trim()
  let zone = timeZone ?? 'UTC'
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(spec)
  if (tz !== null) { zone = tz[1]; spec = tz[2].trim() }
  checkTimeZone(zone)
  if (spec.startsWith('@')) {
    const expanded = DESCRIPTORS[spec.toLowerCase()]
    if (expanded === undefined) throw new Error(`unrecognized descriptor: ${spec}`)
    spec = expanded
  }
  const parts = spec.split(/\s+/)
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`)
  const [mi, h, dom, mo, dow] = parts.map((p, i) => field(p, FIELDS[i]))
  const schedule: Schedule = {
    minutes: mi.set, hours: h.set, days: dom.set, months: mo.set, weekdays: dow.set,
    dayStar: dom.star || dow.star,
    timeZone: zone,
    next: (ms: number) => nextTime(schedule, ms),
  }
  return schedule
}

function dayMatches (s: Schedule, day: number, weekday: number): boolean {
  return s.dayStar ? s.days.has(day) && s.weekdays.has(weekday) : s.days.has(day) || s.weekdays.has(weekday)
}

/**
 * Walk forward from the next whole minute, skipping a day, an hour or a minute at a time in
 * local wall-clock terms. Worked example: `30 9 * * 1` after Sat 12:00 skips Sat's remaining
 * 12h, Sun, then Mon 00:00 → 09:00 by hours and 09:00 → 09:30 by minutes.
 */
function nextTime (s: Schedule, after: number): number | undefined {
  let t = Math.floor(after / 60_000) * 60_000 + 60_000
  const limit = after + 5 * 366 * 86_400_000
  while (t <= limit) {
    const z = zonedFields(t, s.timeZone)
    if (!s.months.has(z.month) || !dayMatches(s, z.day, z.weekday)) {
      t += ((23 - z.hour) * 60 + (60 - z.minute)) * 60_000
      continue
    }
    if (!s.hours.has(z.hour)) { t += (60 - z.minute) * 60_000; continue }
    if (!s.minutes.has(z.minute)) { t += 60_000; continue }
    return t
  }
  return undefined
}
