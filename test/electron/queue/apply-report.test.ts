// What one attempt's report does to its operation, without a drainer around it: the attempt is
// counted only when something was sent, the send's answer is kept, and a refusal ends or parks
// the operation depending on who was watching.
import { describe, expect, it } from 'vitest';
import { applyReport, type AttemptReport } from '../../../electron/queue/attempt';
import type { OperationRecord } from '../../../electron/queue/records';

function pendingUse(): OperationRecord {
  return {
    id: 7,
    opId: 'op-7',
    clientRef: null,
    kind: 'use',
    endpoint: 'coupons.use',
    couponCode: 'C0001',
    stockId: '1212',
    openid: null,
    appid: null,
    requestNo: 'REQ7',
    body: {},
    outTradeNo: null,
    orderId: null,
    shiftId: null,
    tillId: null,
    cashierId: null,
    training: false,
    offlineAccepted: false,
    granted: true,
    orderAmountFen: null,
    discountFen: null,
    status: 'pending',
    attempts: 2,
    nextAttemptAt: 0,
    lastOutcome: 'unknown_outcome',
    lastHttpStatus: null,
    lastCode: null,
    lastMessage: null,
    lastRequestId: null,
    result: null,
    resolution: null,
    createdAt: 0,
    updatedAt: 0,
    resolvedAt: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    note: null,
  };
}

const send = { action: 'send' as const, startedAt: 1, finishedAt: 2, outcome: 'x', httpStatus: null, code: null, message: null, requestId: null };
const refusal: AttemptReport = {
  result: { kind: 'refused' },
  entries: [{ ...send, outcome: 'refused', httpStatus: 400 }],
  last: { outcome: 'refused', httpStatus: 400, code: 'INVALID_REQUEST', message: '券已核销', requestId: 'R1' },
};
const rules = (finalIfRefused: boolean) => ({ now: 1_000, finalIfRefused, retryDelay: (attempts: number) => attempts * 100 });

describe('applyReport', () => {
  it('a success resolves the operation, counts the attempt and keeps WeChat’s answer', () => {
    const op = pendingUse();
    const report: AttemptReport = {
      result: { kind: 'succeeded', resolution: 'sent', result: { coupon_code: 'C0001' } },
      entries: [send],
      last: { outcome: 'succeeded', httpStatus: 200, code: null, message: null, requestId: 'R0' },
    };
    expect(applyReport(op, report, rules(false))).toEqual({ settlement: 'resolved', offline: false });
    expect(op).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      resolution: 'sent',
      resolvedAt: 1_000,
      lastHttpStatus: 200,
      lastRequestId: 'R0',
      result: { coupon_code: 'C0001' },
    });
  });

  it('a success found by reconciling sends nothing, so it is not counted as an attempt', () => {
    const op = pendingUse();
    const report: AttemptReport = { result: { kind: 'succeeded', resolution: 'reconciled', result: null }, entries: [{ ...send, action: 'reconcile' }], last: null };
    expect(applyReport(op, report, rules(false)).settlement).toBe('resolved');
    expect(op).toMatchObject({ attempts: 2, resolution: 'reconciled', lastOutcome: 'unknown_outcome' });
  });

  it('a refusal is final when someone watched, parked for a manager otherwise', () => {
    const watched = pendingUse();
    expect(applyReport(watched, refusal, rules(true)).settlement).toBe('resolved');
    expect(watched).toMatchObject({ status: 'refused', resolvedAt: 1_000, lastCode: 'INVALID_REQUEST', lastMessage: '券已核销' });
    const unattended = pendingUse();
    expect(applyReport(unattended, refusal, rules(false)).settlement).toBe('parked');
    expect(unattended).toMatchObject({ status: 'parked', resolvedAt: null });
  });

  it('an unknown outcome stays pending, due after the delay for the attempts so far, and says whether the till is offline', () => {
    const op = pendingUse();
    const report: AttemptReport = { result: { kind: 'retry', offline: true }, entries: [{ ...send, outcome: 'network' }], last: null };
    expect(applyReport(op, report, rules(false))).toEqual({ settlement: 'retry', offline: true });
    expect(op).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: 1_300 });
  });

  it('a lost report counts as a send whose outcome is unknown', () => {
    const op = pendingUse();
    expect(applyReport(op, null, rules(true))).toEqual({ settlement: 'retry', offline: false });
    expect(op).toMatchObject({ status: 'pending', attempts: 3, nextAttemptAt: 1_300 });
  });
});
