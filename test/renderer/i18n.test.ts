import { describe, expect, it } from 'vitest';
import { HealthCheckId, HealthStatus } from '../../shared/contract';
import { en, zhCN } from '../../renderer/i18n/messages';
import { readFileSync } from 'node:fs';

describe('i18n tables', () => {
  it('every zh-CN key has an English text and vice versa, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const table of [zhCN, en]) for (const v of Object.values(table)) expect(v.trim()).not.toBe('');
  });

  it('every health check, status and reason the main process can send has a sentence', () => {
    for (const id of HealthCheckId.options) expect(zhCN).toHaveProperty(`health.${id}`);
    for (const s of HealthStatus.options) expect(zhCN).toHaveProperty(`health.${s}`);
    const source = readFileSync('electron/app/health.ts', 'utf8');
    const reasons = [...source.matchAll(/reason: '([a-z_.]+)'/g)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThan(5);
    for (const r of reasons) expect(zhCN).toHaveProperty(`reason.${r}`);
  });
});
