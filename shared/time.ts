// RFC 3339 in China Standard Time (+08:00, no daylight saving) and the coupon validity rules
// that the till and the simulator must agree on. Everything is computed from epoch
// milliseconds, never from the host's local time zone, so a till or CI box running UTC gets
// the same answers as one in Shanghai.

export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Parses an RFC 3339 date-time (offset required, fraction optional). Null when malformed or impossible (Feb 30, 24:00, :60). */
export function parseRfc3339(text: string): Date | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMin = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Milliseconds from the fraction's digits, not from float maths (0.129 * 1000 is not 129).
  const ms = m[7] ? Number(`${m[7].slice(1)}00`.slice(0, 3)) : 0;
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0..99 to 1900..1999
  wall.setUTCHours(hour, minute, second, ms);
  return new Date(wall.getTime() - offsetMin * 60_000);
}

export function isRfc3339(text: string): boolean {
  return parseRfc3339(text) !== null;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Wall-clock fields of an instant as seen in China (+08:00). weekday: 0 = Sunday, as WeChat's week_day. */
export interface ChinaParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  secondOfDay: number;
}

export function chinaParts(at: Date): ChinaParts {
  const shifted = new Date(at.getTime() + CHINA_OFFSET_MS);
  const hour = shifted.getUTCHours();
  const minute = shifted.getUTCMinutes();
  const second = shifted.getUTCSeconds();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour,
    minute,
    second,
    millisecond: shifted.getUTCMilliseconds(),
    weekday: shifted.getUTCDay(),
    secondOfDay: hour * 3600 + minute * 60 + second,
  };
}

/** `2026-11-28T10:00:00+08:00`: whole seconds (milliseconds truncated), the form WeChat sends. */
export function formatChinaRfc3339(at: Date): string {
  const p = chinaParts(at);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}+08:00`;
}

/** Builds an instant from a China wall-clock time (month 1..12). */
export function chinaDate(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - CHINA_OFFSET_MS);
}

/** 00:00:00.000 (+08:00) of the China calendar day containing `at`. */
export function startOfChinaDay(at: Date): Date {
  const t = at.getTime() + CHINA_OFFSET_MS;
  return new Date(t - mod(t, DAY_MS) - CHINA_OFFSET_MS);
}

/** 23:59:59 (+08:00) of the China calendar day containing `at` — second precision, as WeChat's expire_time. */
export function endOfChinaDay(at: Date): Date {
  return new Date(startOfChinaDay(at).getTime() + DAY_MS - 1000);
}

/** +08:00 has no daylight saving, so a day is always exactly 86 400 s. */
export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** Same China wall-clock time one calendar year later; 29 Feb becomes 28 Feb. */
export function addOneChinaYear(at: Date): Date {
  const p = chinaParts(at);
  const day = p.month === 2 && p.day === 29 ? 28 : p.day;
  return new Date(chinaDate(p.year + 1, p.month, day, p.hour, p.minute, p.second).getTime() + p.millisecond);
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function truncateToSecond(at: Date): number {
  return at.getTime() - mod(at.getTime(), 1000);
}

// ---------------------------------------------------------------------------------------------
// Coupon validity
// ---------------------------------------------------------------------------------------------

export interface DayTimeWindow {
  begin_time: number;
  end_time: number;
}

export interface AvailableWeek {
  week_day?: readonly number[];
  available_day_time?: readonly DayTimeWindow[];
}

export interface IrregularWindow {
  begin_time: string;
  end_time: string;
}

/** The subset of `coupon_available_time` the validity logic reads. */
export interface CouponAvailableTimeRules {
  available_begin_time: string;
  available_end_time: string;
  available_day_after_receive?: number;
  wait_days_after_receive?: number;
  available_week?: AvailableWeek;
  irregulary_avaliable_time?: readonly IrregularWindow[];
}

export interface DerivedCouponTimes {
  available_start_time: Date;
  expire_time: Date;
}

function mustParse(text: string, field: string): Date {
  const d = parseRfc3339(text);
  if (!d) throw new RangeError(`${field} is not an RFC 3339 date-time`);
  return d;
}

/**
 * A received coupon's own validity (docs/wechatpay/busifavor.md#validity): counting starts at the later of receipt and
 * the stock's begin time; `wait_days_after_receive` moves the start to midnight N days later;
 * `available_day_after_receive` = d ends it at 23:59:59 of the d-th effective day; the stock's
 * end time always caps it. The result may be empty (start after expire) when a coupon is
 * received too late to ever be used — `isUsableAt` reports that as NO_VALID_PERIOD.
 */
export function deriveCouponTimes(rules: CouponAvailableTimeRules, receivedAt: Date): DerivedCouponTimes {
  const begin = mustParse(rules.available_begin_time, 'available_begin_time');
  const end = mustParse(rules.available_end_time, 'available_end_time');
  let start = new Date(Math.max(receivedAt.getTime(), begin.getTime()));
  const wait = rules.wait_days_after_receive ?? 0;
  if (wait > 0) start = addDays(startOfChinaDay(start), wait);
  let expire = end;
  const days = rules.available_day_after_receive;
  if (days !== undefined && days > 0) {
    const lastDay = endOfChinaDay(addDays(start, days - 1));
    expire = new Date(Math.min(end.getTime(), lastDay.getTime()));
  }
  return { available_start_time: start, expire_time: expire };
}

export interface UsabilityInput {
  available_start_time: Date | string;
  expire_time: Date | string;
  coupon_available_time?: Pick<CouponAvailableTimeRules, 'available_week' | 'irregulary_avaliable_time'>;
}

export type UsabilityReason = 'NOT_YET_EFFECTIVE' | 'EXPIRED' | 'NO_VALID_PERIOD' | 'OUTSIDE_WEEKLY_WINDOW' | 'OUTSIDE_IRREGULAR_WINDOW' | 'OUTSIDE_TIME_WINDOWS';

export type Usability = { ok: true } | { ok: false; reason: UsabilityReason; next?: Date };

const toDate = (v: Date | string, field: string): Date => (typeof v === 'string' ? mustParse(v, field) : v);

interface Windows {
  weekly: AvailableWeek | undefined;
  irregular: { begin: number; end: number }[];
}

function windowsOf(input: UsabilityInput): Windows {
  const cat = input.coupon_available_time;
  const week = cat?.available_week;
  const hasWeekly = !!week && ((week.week_day?.length ?? 0) > 0 || (week.available_day_time?.length ?? 0) > 0);
  const irregular = (cat?.irregulary_avaliable_time ?? []).map((w) => ({
    begin: truncateToSecond(mustParse(w.begin_time, 'irregulary_avaliable_time.begin_time')),
    end: truncateToSecond(mustParse(w.end_time, 'irregulary_avaliable_time.end_time')),
  }));
  return { weekly: hasWeekly ? week : undefined, irregular };
}

function inWeekly(week: AvailableWeek, t: number): boolean {
  const p = chinaParts(new Date(t));
  const days = week.week_day ?? [];
  if (days.length > 0 && !days.includes(p.weekday)) return false;
  const times = week.available_day_time ?? [];
  if (times.length === 0) return true;
  return times.some((w) => p.secondOfDay >= w.begin_time && p.secondOfDay <= w.end_time);
}

function inWindows(w: Windows, t: number): boolean {
  if (w.weekly && inWeekly(w.weekly, t)) return true;
  return w.irregular.some((r) => t >= r.begin && t <= r.end);
}

/** Earliest whole second ≥ from at which some window is open, or null if none opens by `until`. */
function nextWindowOpening(w: Windows, from: number, until: number): number | null {
  if (from > until) return null;
  if (inWindows(w, from)) return from;
  let best: number | null = null;
  const consider = (t: number) => {
    if (t >= from && t <= until && (best === null || t < best)) best = t;
  };
  for (const r of w.irregular) if (r.end >= from) consider(Math.max(r.begin, from));
  if (w.weekly) {
    const week = w.weekly;
    const dayTimes = week.available_day_time ?? [];
    const weekDays = week.week_day ?? [];
    const openings = dayTimes.length > 0 ? dayTimes.map((x) => x.begin_time) : [0];
    // Weekly windows repeat every 7 days: one week of candidate openings from `from` suffices.
    for (let dayStart = startOfChinaDay(new Date(from)).getTime(); dayStart <= Math.min(until, from + 8 * DAY_MS); dayStart += DAY_MS) {
      const wd = chinaParts(new Date(dayStart)).weekday;
      if (weekDays.length > 0 && !weekDays.includes(wd)) continue;
      for (const sec of openings) consider(dayStart + sec * 1000);
    }
  }
  return best;
}

/**
 * Whether a received coupon may be redeemed at `at`. Times compare at whole-second
 * granularity (WeChat's values are whole seconds, so 23:59:59.900 is still 23:59:59).
 *
 * Windows: when neither `available_week` nor `irregulary_avaliable_time` is set, the whole
 * validity period counts. When either is set, `at` must be inside at least one configured
 * window — WeChat calls irregular windows *extra* windows (docs/wechatpay/busifavor.md#validity), so they widen the weekly
 * schedule rather than narrowing it (union, never intersection). Weekly windows are in
 * +08:00 wall-clock time; `week_day` 0 is Sunday; an `available_day_time` entry covers
 * [begin_time, end_time] seconds of the day inclusive.
 */
export function isUsableAt(input: UsabilityInput, at: Date): Usability {
  const start = truncateToSecond(toDate(input.available_start_time, 'available_start_time'));
  const expire = truncateToSecond(toDate(input.expire_time, 'expire_time'));
  const t = truncateToSecond(at);
  if (start > expire) return { ok: false, reason: 'NO_VALID_PERIOD' };
  if (t > expire) return { ok: false, reason: 'EXPIRED' };
  const w = windowsOf(input);
  const hasWindows = !!w.weekly || w.irregular.length > 0;
  if (t < start) {
    const next = hasWindows ? nextWindowOpening(w, start, expire) : start;
    return next === null ? { ok: false, reason: 'NOT_YET_EFFECTIVE' } : { ok: false, reason: 'NOT_YET_EFFECTIVE', next: new Date(next) };
  }
  if (!hasWindows || inWindows(w, t)) return { ok: true };
  const reason: UsabilityReason = w.weekly && w.irregular.length > 0 ? 'OUTSIDE_TIME_WINDOWS' : w.weekly ? 'OUTSIDE_WEEKLY_WINDOW' : 'OUTSIDE_IRREGULAR_WINDOW';
  const next = nextWindowOpening(w, t, expire);
  return next === null ? { ok: false, reason } : { ok: false, reason, next: new Date(next) };
}
