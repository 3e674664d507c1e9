import { z } from 'zod';
import { AppHealth, AppInfo } from './app';
import { QueueSnapshot, RedeemInput, RedeemResult, ScanInput, ScanResult, ShiftOpenInput, ShiftView } from './till';
import type { ErrorCode } from './errors';
import { methodNames, type MethodName } from './names';

export interface MethodDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** The error codes this method may answer with besides VALIDATION and INTERNAL. */
  errors: readonly ErrorCode[];
  /** Methods only a manager (PIN) session may call. */
  manager?: boolean;
}

const method = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>) => def;
const noInput = z.object({}).strict();

/** The service contract: every capability the UI may use, described once. */
export const contract = {
  'app.info': method({ input: noInput, output: AppInfo, errors: [] }),
  'app.health': method({ input: noInput, output: AppHealth, errors: [] }),
  'till.scan': method({ input: ScanInput, output: ScanResult, errors: ['NOT_PROVISIONED', 'WECHATPAY_REJECTED', 'SECURITY', 'CONFIGURATION'] }),
  'till.redeem': method({
    input: RedeemInput,
    output: RedeemResult,
    errors: ['NOT_PROVISIONED', 'WECHATPAY_REJECTED', 'OUTCOME_PENDING', 'SECURITY', 'CONFIGURATION'],
  }),
  'queue.list': method({ input: noInput, output: QueueSnapshot, errors: ['NOT_PROVISIONED'] }),
  'shift.current': method({ input: noInput, output: ShiftView.nullable(), errors: ['NOT_PROVISIONED'] }),
  'shift.open': method({ input: ShiftOpenInput, output: ShiftView, errors: ['NOT_PROVISIONED'] }),
} satisfies Record<MethodName, MethodDef<z.ZodType, z.ZodType>>;

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

// names.ts is the zod-free list the sandboxed preload bundles; this keeps the two in step.
const missing = methodNames.filter((n) => !(n in contract));
const extra = Object.keys(contract).filter((n) => !(methodNames as readonly string[]).includes(n));
if (missing.length || extra.length) throw new Error(`contract and names.ts disagree: ${[...missing, ...extra].join(', ')}`);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
