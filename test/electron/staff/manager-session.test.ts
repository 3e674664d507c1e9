import { describe, expect, it } from 'vitest';
import { ManagerSession } from '../../../electron/staff/manager-session';

describe('ManagerSession', () => {
  it('ends after the idle time; every manager call extends it', () => {
    let now = 0;
    const s = new ManagerSession({ idleMs: 1_000, clock: () => now });
    expect(() => s.require()).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    s.begin('M01');
    now = 900;
    expect(s.require()).toBe('M01');
    now = 1_800; // 900 ms after the last call: still in
    expect(s.view()).toEqual({ managerId: 'M01', expiresAt: new Date(1_900).toISOString() });
    now = 1_900;
    expect(s.view()).toBeNull();
    expect(() => s.require()).toThrow(/manager/);
  });

  it('signing out ends it at once', () => {
    const s = new ManagerSession();
    s.begin('M01');
    s.end();
    expect(s.view()).toBeNull();
  });
});
