// What a back-office change came to, as one sentence for the desk: done, WeChat Pay said no (its
// words), or not known yet — then the same form sent again goes out under the same number.
import type { z } from 'zod';
import type { BackofficeOutcome } from '../../../../shared/contract';
import type { Translate } from '../../../i18n/i18n';
import { failureText } from '../../../manager/useManager';
import type { CallOutcome } from '../../../till/timed-call';

export interface Said {
  ok: boolean;
  /** succeeded | refused | pending | error: the desk shows a retry for pending. */
  status: 'succeeded' | 'refused' | 'pending' | 'error';
  text: string;
}

export function outcomeSaid(t: Translate, refusal: (r: NonNullable<BackofficeOutcome['reason']>) => string, o: CallOutcome<BackofficeOutcome>, done: string): Said {
  if (o.kind === 'timeout') return { ok: false, status: 'pending', text: t('bo.outcome.pending') };
  if (o.kind === 'error') return { ok: false, status: 'error', text: failureText(t, o) };
  const v = o.value;
  if (v.status === 'succeeded') return { ok: true, status: 'succeeded', text: done };
  if (v.status === 'pending') return { ok: false, status: 'pending', text: t('bo.outcome.pending') };
  return { ok: false, status: 'refused', text: v.reason ? refusal(v.reason) : t('bo.outcome.refused') };
}

/** One schema problem in the reader's words: limits by number, the schema's own sentence otherwise. */
export function issueText(t: Translate, issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') return issue.origin === 'string' ? t('bo.check.too_long', { max: Number(issue.maximum) }) : t('bo.check.too_big', { max: Number(issue.maximum) });
  if (issue.code === 'too_small') return issue.origin === 'string' && Number(issue.minimum) <= 1 ? t('bo.check.required') : t('bo.check.too_small', { min: Number(issue.minimum) });
  if (issue.code === 'invalid_type') return issue.input === undefined ? t('bo.check.required') : t('bo.check.number');
  if (issue.code === 'invalid_value') return t('bo.check.choose');
  if (issue.code === 'unrecognized_keys') return t('bo.check.unknown', { keys: issue.keys.join(', ') });
  return issue.message;
}

/** A fresh id for one filled-in form: sent again (after a timeout), it is the same operation. */
export const newClientRef = () => `form-${crypto.randomUUID()}`;
