// Cron schedule parsing and next-time computation, table-driven, including time zones.
import assert from 'node:assert/strict'
import { parseSchedule } from '../../../src/controllers/cronjob/schedule.ts'
import { formatInZone } from '../../../src/controllers/cronjob/jobs.ts'

const at = (iso: string): number => Date.parse(iso)
const iso = (ms: number | undefined): string | undefined => ms === undefined ? undefined : new Date(ms).toISOString()

describe('cron schedule', () => {
  const cases: Array<[string, string, string | undefined, string?]> = [
    // [schedule, after, expected next, spec.timeZone]
    ['*/5 * * * *', '2025-01-01T00:00:00Z', '2025-01-01T00:05:00.000Z'],
    ['*/5 * * * *', '2025-01-01T00:04:59Z', '2025-01-01T00:05:00.000Z'],
    ['0 * * * *', '2025-01-01T00:00:00Z', '2025-01-01T01:00:00.000Z'],
    ['@hourly', '2025-01-01T00:30:00Z', '2025-01-01T01:00:00.000Z'],
    ['@daily', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00.000Z'],
    ['@weekly', '2025-01-01T00:00:00Z', '2025-01-05T00:00:00.000Z'], // 2025-01-01 is a Wednesday
    ['@yearly', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['30 9 * * MON-FRI', '2025-01-04T12:00:00Z', '2025-01-06T09:30:00.000Z'],
    ['0 0 1,15 * *', '2025-01-02T00:00:00Z', '2025-01-15T00:00:00.000Z'],
    ['0 12 * FEB *', '2025-01-01T00:00:00Z', '2025-02-01T12:00:00.000Z'],
    ['10-20/5 3 * * *', '2025-01-01T03:11:00Z', '2025-01-01T03:15:00.000Z'],
    ['0 0 * * 7', '2025-01-01T00:00:00Z', '2025-01-05T00:00:00.000Z'], // 7 is Sunday too
    // both day fields restricted: either matches (the 13th, or any Friday)
    ['0 0 13 * 5', '2025-01-01T00:00:00Z', '2025-01-03T00:00:00.000Z'],
    ['0 0 30 2 *', '2025-01-01T00:00:00Z', undefined], // February 30th never comes
    ['0 9 * * *', '2024-12-31T23:00:00Z', '2025-01-01T00:00:00.000Z', 'Asia/Tokyo'], // 09:00 JST = 00:00 UTC
    ['CRON_TZ=America/New_York 0 9 * * *', '2025-01-01T00:00:00Z', '2025-01-01T14:00:00.000Z'],
    ['TZ=Europe/Berlin 0 9 * * *', '2025-07-01T00:00:00Z', '2025-07-01T07:00:00.000Z'], // CEST
  ]
  for (const [text, after, want, zone] of cases) {
    it(`"${text}"${zone === undefined ? '' : ` in ${zone}`} after ${after} is next at ${want ?? 'never'}`, () => {
      assert.equal(iso(parseSchedule(text, zone).next(at(after))), want)
    })
  }

  const invalid: Array<[string, RegExp]> = [
    ['* * * *', /expected exactly 5 fields, found 4/],
    ['60 * * * *', /minute value 60 out of range/],
    ['* * * FOO *', /failed to parse int from FOO/],
    ['5-1 * * * *', /beyond end of range/],
    ['@every 5m', /unrecognized descriptor/],
    ['CRON_TZ=Mars/Base * * * * *', /unknown time zone Mars\/Base/],
  ]
  for (const [text, message] of invalid) {
    it(`rejects "${text}"`, () => { assert.throws(() => parseSchedule(text), message) })
  }

  it('formats the scheduled timestamp in the schedule\'s zone, as Go\'s RFC 3339', () => {
    assert.equal(formatInZone(at('2025-01-01T00:00:00Z'), 'UTC'), '2025-01-01T00:00:00Z')
    assert.equal(formatInZone(at('2025-01-01T00:00:00Z'), 'Asia/Tokyo'), '2025-01-01T09:00:00+09:00')
    assert.equal(formatInZone(at('2025-01-01T14:00:00Z'), 'America/New_York'), '2025-01-01T09:00:00-05:00')
    assert.equal(formatInZone(at('2025-01-01T00:00:00Z'), 'Asia/Kolkata'), '2025-01-01T05:30:00+05:30')
  })
})
