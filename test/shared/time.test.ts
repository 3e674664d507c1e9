// China-time helpers and coupon validity. The CI machine runs in UTC; every expectation here
// is written in +08:00, so a test passing proves the code never leans on the host time zone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addOneChinaYear,
  chinaDate,
  chinaParts,
  deriveCouponTimes,
  endOfChinaDay,
  formatChinaRfc3339,
  isUsableAt,
  parseRfc3339,
  startOfChinaDay,
  type CouponAvailableTimeRules,
  type UsabilityInput,
} from '../../shared/time';

const t = (s: string) => {
  const d = parseRfc3339(s);
  if (!d) throw new Error(`bad fixture ${s}`);
  return d;
};
const fmt = formatChinaRfc3339;

describe('RFC 3339 in +08:00', () => {
  it('formats an instant in China time with whole seconds', () => {
    expect(fmt(new Date('2026-11-28T02:00:00.999Z'))).toBe('2026-11-28T10:00:00+08:00');
    expect(fmt(new Date('2026-11-28T16:30:00Z'))).toBe('2026-11-29T00:30:00+08:00');
    expect(fmt(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
  });
  it('parses with and without fractional seconds, any offset or Z', () => {
    expect(t('2020-05-20T13:29:35+08:00').toISOString()).toBe('2020-05-20T05:29:35.000Z');
    expect(t('2020-05-20T13:29:35.120+08:00').toISOString()).toBe('2020-05-20T05:29:35.120Z');
    expect(t('2020-05-20T13:29:35.129999999+08:00').getUTCMilliseconds()).toBe(129);
    expect(t('2020-05-20T05:29:35Z').toISOString()).toBe('2020-05-20T05:29:35.000Z');
    expect(t('2020-05-20T00:29:35-05:00').toISOString()).toBe('2020-05-20T05:29:35.000Z');
  });
  it('rejects malformed and impossible values', () => {
    for (const bad of [
      '2020-05-20T13:29:35',
      '2020-05-20 13:29:35+08:00',
      '2027-02-29T00:00:00+08:00',
      '2026-11-28T24:00:00+08:00',
      '2026-11-28T10:00:60+08:00',
      '2026-13-01T00:00:00+08:00',
      '2026-1-01T00:00:00+08:00',
      '',
    ]) {
      expect(parseRfc3339(bad), bad).toBeNull();
    }
    expect(parseRfc3339('2028-02-29T00:00:00+08:00')).not.toBeNull();
  });
  it('format then parse is the identity on whole seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }), (sec) => {
        const d = new Date(sec * 1000);
        expect(parseRfc3339(fmt(d))?.getTime()).toBe(d.getTime());
      }),
    );
  });
  it('day boundaries are China midnight, not UTC midnight', () => {
    const at = new Date('2026-11-28T17:00:00Z'); // 29 Nov 01:00 in China, still 28 Nov in UTC
    expect(fmt(startOfChinaDay(at))).toBe('2026-11-29T00:00:00+08:00');
    expect(fmt(endOfChinaDay(at))).toBe('2026-11-29T23:59:59+08:00');
    expect(chinaParts(at)).toMatchObject({ day: 29, weekday: 0, secondOfDay: 3600 });
    expect(fmt(chinaDate(2026, 11, 28, 10))).toBe('2026-11-28T10:00:00+08:00');
  });
  it('one year later keeps the wall-clock time; 29 Feb maps to 28 Feb', () => {
    expect(fmt(addOneChinaYear(t('2026-03-01T10:00:00+08:00')))).toBe('2027-03-01T10:00:00+08:00');
    expect(fmt(addOneChinaYear(t('2028-02-29T08:00:00+08:00')))).toBe('2029-02-28T08:00:00+08:00');
  });
});

const window = (over: Partial<CouponAvailableTimeRules> = {}): CouponAvailableTimeRules => ({
  available_begin_time: '2026-11-01T00:00:00+08:00',
  available_end_time: '2026-11-30T23:59:59+08:00',
  ...over,
});
const derived = (rules: CouponAvailableTimeRules, received: string) => {
  const d = deriveCouponTimes(rules, t(received));
  return { start: fmt(d.available_start_time), expire: fmt(d.expire_time) };
};

describe('deriveCouponTimes (docs/wechatpay/busifavor.md#validity)', () => {
  it('without relative validity: from receipt to the stock end', () => {
    expect(derived(window(), '2026-11-10T15:00:00+08:00')).toEqual({ start: '2026-11-10T15:00:00+08:00', expire: '2026-11-30T23:59:59+08:00' });
  });
  it('N days valid: effective at receipt, ends 23:59:59 of the N-th day', () => {
    expect(derived(window({ available_day_after_receive: 3 }), '2026-11-10T15:00:00+08:00')).toEqual({
      start: '2026-11-10T15:00:00+08:00',
      expire: '2026-11-12T23:59:59+08:00',
    });
    expect(derived(window({ available_day_after_receive: 1 }), '2026-11-10T23:59:59+08:00').expire).toBe('2026-11-10T23:59:59+08:00');
  });
  it('wait days: effective 00:00 of day W after receipt, then N days', () => {
    expect(derived(window({ available_day_after_receive: 3, wait_days_after_receive: 1 }), '2026-11-10T15:00:00+08:00')).toEqual({
      start: '2026-11-11T00:00:00+08:00',
      expire: '2026-11-13T23:59:59+08:00',
    });
    // 23:30 China is 15:30 UTC the same day; the next China day still starts 16:00 UTC.
    expect(derived(window({ available_day_after_receive: 1, wait_days_after_receive: 1 }), '2026-11-10T23:30:00+08:00').start).toBe('2026-11-11T00:00:00+08:00');
  });
  it('capped by the stock end time', () => {
    expect(derived(window({ available_day_after_receive: 10, available_end_time: '2026-11-12T12:00:00+08:00' }), '2026-11-10T15:00:00+08:00').expire).toBe(
      '2026-11-12T12:00:00+08:00',
    );
  });
  it('received before the begin time: counting starts at the begin time', () => {
    const rules = window({ available_begin_time: '2026-11-20T10:00:00+08:00', available_day_after_receive: 1 });
    expect(derived(rules, '2026-11-01T09:00:00+08:00')).toEqual({ start: '2026-11-20T10:00:00+08:00', expire: '2026-11-20T23:59:59+08:00' });
    expect(derived({ ...rules, wait_days_after_receive: 2 }, '2026-11-01T09:00:00+08:00')).toEqual({
      start: '2026-11-22T00:00:00+08:00',
      expire: '2026-11-22T23:59:59+08:00',
    });
  });
  it('received too late to ever be used: empty period, reported as NO_VALID_PERIOD', () => {
    const d = deriveCouponTimes(window({ available_day_after_receive: 2, wait_days_after_receive: 5 }), t('2026-11-28T12:00:00+08:00'));
    expect(d.available_start_time.getTime()).toBeGreaterThan(d.expire_time.getTime());
    expect(isUsableAt(d, t('2026-11-29T12:00:00+08:00'))).toEqual({ ok: false, reason: 'NO_VALID_PERIOD' });
  });
  it('rejects rules whose times are not RFC 3339', () => {
    expect(() => deriveCouponTimes(window({ available_begin_time: 'soon' }), new Date())).toThrow(RangeError);
  });
});

// 2026-11-28 is a Saturday (week_day 6); 2026-11-29 a Sunday (0).
const coupon = (cat?: UsabilityInput['coupon_available_time']): UsabilityInput => ({
  available_start_time: '2026-11-02T00:00:00+08:00',
  expire_time: '2026-12-31T23:59:59+08:00',
  ...(cat ? { coupon_available_time: cat } : {}),
});
const reason = (input: UsabilityInput, at: string) => {
  const r = isUsableAt(input, t(at));
  return r.ok ? 'ok' : `${r.reason}${r.next ? ` next ${fmt(r.next)}` : ''}`;
};

describe('isUsableAt', () => {
  it('validity period, compared to the whole second', () => {
    expect(reason(coupon(), '2026-11-01T23:59:59+08:00')).toBe('NOT_YET_EFFECTIVE next 2026-11-02T00:00:00+08:00');
    expect(reason(coupon(), '2026-11-02T00:00:00+08:00')).toBe('ok');
    expect(isUsableAt(coupon(), new Date(t('2026-12-31T23:59:59+08:00').getTime() + 900))).toEqual({ ok: true });
    expect(reason(coupon(), '2027-01-01T00:00:00+08:00')).toBe('EXPIRED');
  });
  it('weekly window across midnight, in China time on a UTC machine', () => {
    const saturday = coupon({ available_week: { week_day: [6], available_day_time: [{ begin_time: 1, end_time: 86_399 }] } });
    expect(reason(saturday, '2026-11-28T23:59:59+08:00')).toBe('ok');
    // 16:00 UTC Saturday is already Sunday 00:00 in China.
    expect(isUsableAt(saturday, new Date('2026-11-28T16:00:00Z'))).toEqual({ ok: false, reason: 'OUTSIDE_WEEKLY_WINDOW', next: t('2026-12-05T00:00:01+08:00') });
    // 00:00:00 itself is outside a window that begins at second 1.
    expect(reason(saturday, '2026-11-28T00:00:00+08:00')).toBe('OUTSIDE_WEEKLY_WINDOW next 2026-11-28T00:00:01+08:00');
  });
  it('day-time windows on chosen week days, with the next opening', () => {
    const weekdays = coupon({ available_week: { week_day: [1, 2, 3, 4, 5], available_day_time: [{ begin_time: 36_000, end_time: 79_200 }] } });
    expect(reason(weekdays, '2026-11-30T10:00:00+08:00')).toBe('ok'); // Monday 10:00
    expect(reason(weekdays, '2026-11-30T22:00:00+08:00')).toBe('ok'); // end second inclusive
    expect(reason(weekdays, '2026-11-30T22:00:01+08:00')).toBe('OUTSIDE_WEEKLY_WINDOW next 2026-12-01T10:00:00+08:00');
    expect(reason(weekdays, '2026-11-28T12:00:00+08:00')).toBe('OUTSIDE_WEEKLY_WINDOW next 2026-11-30T10:00:00+08:00');
    // 01:00 UTC Monday = 09:00 China Monday: one hour before opening.
    expect(isUsableAt(weekdays, new Date('2026-11-30T01:00:00Z'))).toEqual({ ok: false, reason: 'OUTSIDE_WEEKLY_WINDOW', next: new Date('2026-11-30T02:00:00Z') });
  });
  it('two day-time windows; week_day without times means whole days', () => {
    const split = coupon({
      available_week: {
        week_day: [0],
        available_day_time: [
          { begin_time: 3600, end_time: 7200 },
          { begin_time: 72_000, end_time: 75_600 },
        ],
      },
    });
    expect(reason(split, '2026-11-29T01:30:00+08:00')).toBe('ok');
    expect(reason(split, '2026-11-29T12:00:00+08:00')).toBe('OUTSIDE_WEEKLY_WINDOW next 2026-11-29T20:00:00+08:00');
    const sundays = coupon({ available_week: { week_day: [0] } });
    expect(reason(sundays, '2026-11-29T00:00:00+08:00')).toBe('ok');
    expect(reason(sundays, '2026-11-28T23:59:59+08:00')).toBe('OUTSIDE_WEEKLY_WINDOW next 2026-11-29T00:00:00+08:00');
  });
  it('irregular windows alone', () => {
    const irregular = coupon({ irregulary_avaliable_time: [{ begin_time: '2026-12-12T10:00:00+08:00', end_time: '2026-12-12T22:00:00+08:00' }] });
    expect(reason(irregular, '2026-12-12T10:00:00+08:00')).toBe('ok');
    expect(reason(irregular, '2026-12-01T10:00:00+08:00')).toBe('OUTSIDE_IRREGULAR_WINDOW next 2026-12-12T10:00:00+08:00');
    expect(reason(irregular, '2026-12-12T22:00:01+08:00')).toBe('OUTSIDE_IRREGULAR_WINDOW');
  });
  it('weekly and irregular windows combine as a union (irregular windows are extra)', () => {
    const both = coupon({
      available_week: { week_day: [6] },
      irregulary_avaliable_time: [{ begin_time: '2026-12-02T18:00:00+08:00', end_time: '2026-12-02T20:00:00+08:00' }],
    });
    expect(reason(both, '2026-12-02T19:00:00+08:00')).toBe('ok'); // a Wednesday, inside the extra window
    expect(reason(both, '2026-11-28T19:00:00+08:00')).toBe('ok'); // a Saturday
    expect(reason(both, '2026-12-01T19:00:00+08:00')).toBe('OUTSIDE_TIME_WINDOWS next 2026-12-02T18:00:00+08:00');
    expect(reason(both, '2026-12-02T20:00:01+08:00')).toBe('OUTSIDE_TIME_WINDOWS next 2026-12-05T00:00:00+08:00');
  });
  it('before the start with windows: next is the first window after the start; none after expiry', () => {
    const weekdays = {
      ...coupon({ available_week: { week_day: [1], available_day_time: [{ begin_time: 36_000, end_time: 79_200 }] } }),
      available_start_time: '2026-11-28T00:00:00+08:00',
    };
    expect(reason(weekdays, '2026-11-20T12:00:00+08:00')).toBe('NOT_YET_EFFECTIVE next 2026-11-30T10:00:00+08:00');
    const short = { ...weekdays, expire_time: '2026-11-29T23:59:59+08:00' };
    expect(reason(short, '2026-11-28T12:00:00+08:00')).toBe('OUTSIDE_WEEKLY_WINDOW');
  });
  it('property: usable only inside the period, and `next` is always usable', () => {
    const base = Date.UTC(2026, 10, 1) - 8 * 3600_000;
    const arb = fc.record({
      startOff: fc.integer({ min: 0, max: 20 * 86_400 }),
      length: fc.integer({ min: 0, max: 30 * 86_400 }),
      days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 7 }),
      times: fc.array(
        fc.tuple(fc.integer({ min: 1, max: 86_398 }), fc.integer({ min: 1, max: 86_398 })).map(([a, b]) => ({ begin_time: Math.min(a, b), end_time: Math.max(a, b) + 1 })),
        { maxLength: 2 },
      ),
      irregular: fc.array(fc.tuple(fc.integer({ min: 0, max: 40 * 86_400 }), fc.integer({ min: 1, max: 86_400 })), { maxLength: 2 }),
      atOff: fc.integer({ min: -86_400, max: 60 * 86_400 }),
    });
    fc.assert(
      fc.property(arb, (g) => {
        const start = new Date(base + g.startOff * 1000);
        const expire = new Date(start.getTime() + g.length * 1000);
        const input: UsabilityInput = {
          available_start_time: start,
          expire_time: expire,
          coupon_available_time: {
            available_week: { week_day: g.days, available_day_time: g.days.length > 0 ? g.times : [] },
            irregulary_avaliable_time: g.irregular.map(([o, len]) => ({ begin_time: fmt(new Date(base + o * 1000)), end_time: fmt(new Date(base + (o + len) * 1000)) })),
          },
        };
        const at = new Date(base + g.atOff * 1000);
        const r = isUsableAt(input, at);
        if (r.ok) {
          expect(at.getTime()).toBeGreaterThanOrEqual(start.getTime());
          expect(at.getTime()).toBeLessThan(expire.getTime() + 1000);
        } else if (r.next) {
          expect(r.next.getTime()).toBeGreaterThan(at.getTime() - 1000);
          expect(r.next.getTime()).toBeLessThanOrEqual(expire.getTime());
          expect(isUsableAt(input, r.next)).toEqual({ ok: true });
        }
      }),
      { numRuns: 500 },
    );
  });
});
