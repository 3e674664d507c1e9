import { z } from 'zod';
import { AppHealth, AppInfo, AppMode } from './app';
import { QueueItem, QueueSnapshot } from './operations';
import { OrderOpenInput, OrderRef, OrderView, RedeemInput, RedeemResult, StackingPolicy, StackingPolicyView } from './order';
import { ScanInput, ScanResult, ShiftOpenInput, ShiftView } from './till';
import type { ErrorCode } from './errors';
import {
  AcknowledgeInput,
  CouponDeactivateInput,
  CouponReturnInput,
  ManagerSessionView,
  ManagerSignInInput,
  ManagerStatus,
  OfflinePolicy,
  OfflinePolicyView,
  OperationRef,
  ShiftCloseResult,
  ShiftReportView,
} from './manager';
import { OperationResult } from './operations';
import {
  BackofficeOperationView,
  BackofficeOutcome,
  BackofficeStockRow,
  backofficeSchemas,
  BudgetInput,
  CallbacksView,
  CodesPage,
  CreateStockInput,
  DeleteCodeInput,
  ListCodesInput,
  ModifyStockInput,
  PaySubsidyInput,
  SendParamsInput,
  SendParamsView,
  SetCallbacksInput,
  SubsidyQueryInput,
  SubsidyReceiptView,
  UploadCodesInput,
  UploadImageInput,
} from './backoffice';
import { ConnectionTest, LiveMerchantView, MerchantProvisionInput, MerchantProvisionResult } from './merchant';
import { PrintConfig, PrintSetupInput, PrintSlipInput } from './print';
import { PracticeSheet } from './practice';
import { methodNames, type MethodName } from './names';

export interface MethodDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** The error codes this method may answer with besides VALIDATION and INTERNAL. */
  errors: readonly ErrorCode[];
  /** Methods only a manager (PIN) session may call. */
  manager?: boolean;
  /** Methods the store's register may call with its own credential (and nothing else). */
  register?: boolean;
}

const method = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>) => def;
// A manager method may always answer FORBIDDEN (no manager session), so it is declared here once.
const managerMethod = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>) => ({ ...def, errors: [...def.errors, 'FORBIDDEN'], manager: true }) as MethodDef<I, O>;
const registerMethod = <I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>) => ({ ...def, register: true }) as MethodDef<I, O>;
const noInput = z.object({}).strict();

/** The manager's back office (shared/contract/backoffice.ts): every method manager-only. */
function backofficeMethods() {
  const asks = ['NOT_PROVISIONED', 'WECHATPAY_REJECTED', 'OUTCOME_PENDING', 'SECURITY', 'CONFIGURATION'] as const;
  const changes = ['NOT_PROVISIONED', 'STATE_CONFLICT', 'CONFIGURATION'] as const;
  return {
    'backoffice.stocks': managerMethod({ input: noInput, output: z.array(BackofficeStockRow), errors: ['NOT_PROVISIONED'] }),
    'backoffice.stock': managerMethod({ input: backofficeSchemas.stockRef, output: backofficeSchemas.stockDetail, errors: [...asks, 'NOT_FOUND'] }),
    'backoffice.createStock': managerMethod({ input: CreateStockInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.modifyStock': managerMethod({ input: ModifyStockInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.budget': managerMethod({ input: BudgetInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.uploadCodes': managerMethod({ input: UploadCodesInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.codes': managerMethod({ input: ListCodesInput, output: CodesPage, errors: asks }),
    'backoffice.deleteCode': managerMethod({ input: DeleteCodeInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.uploadImage': managerMethod({ input: UploadImageInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.callbacks': managerMethod({ input: noInput, output: CallbacksView, errors: asks }),
    'backoffice.setCallbacks': managerMethod({ input: SetCallbacksInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.paySubsidy': managerMethod({ input: PaySubsidyInput, output: BackofficeOutcome, errors: changes }),
    'backoffice.subsidy': managerMethod({ input: SubsidyQueryInput, output: z.array(SubsidyReceiptView), errors: asks }),
    'backoffice.sendParams': managerMethod({ input: SendParamsInput, output: SendParamsView, errors: ['NOT_PROVISIONED', 'CONFIGURATION'] }),
    'backoffice.audit': managerMethod({ input: noInput, output: z.array(BackofficeOperationView), errors: ['NOT_PROVISIONED'] }),
    'backoffice.retry': managerMethod({ input: backofficeSchemas.operationRef, output: BackofficeOutcome, errors: [...changes, 'NOT_FOUND'] }),
  };
}

/** The service contract: every capability the UI may use, described once. */
export const contract = {
  'app.info': method({ input: noInput, output: AppInfo, errors: [] }),
  'app.health': method({ input: noInput, output: AppHealth, errors: [] }),
  'app.setMode': managerMethod({ input: z.object({ mode: AppMode }).strict(), output: AppInfo, errors: ['CONFIGURATION', 'STATE_CONFLICT'] }),
  'till.scan': method({ input: ScanInput, output: ScanResult, errors: ['NOT_PROVISIONED', 'WECHATPAY_REJECTED', 'SECURITY', 'CONFIGURATION'] }),
  'till.redeem': method({ input: RedeemInput, output: RedeemResult, errors: ['NOT_PROVISIONED', 'NOT_FOUND', 'CONFIGURATION'] }),
  'order.current': registerMethod({ input: noInput, output: OrderView.nullable(), errors: ['NOT_PROVISIONED'] }),
  'order.open': registerMethod({ input: OrderOpenInput, output: OrderView, errors: ['NOT_PROVISIONED', 'NOT_FOUND', 'STATE_CONFLICT'] }),
  'order.get': registerMethod({ input: OrderRef, output: OrderView, errors: ['NOT_PROVISIONED', 'NOT_FOUND'] }),
  'order.finish': method({ input: OrderRef, output: OrderView, errors: ['NOT_PROVISIONED', 'NOT_FOUND'] }),
  'order.cancel': registerMethod({ input: OrderRef, output: OrderView, errors: ['NOT_PROVISIONED', 'NOT_FOUND', 'STATE_CONFLICT'] }),
  'order.policy': method({ input: noInput, output: StackingPolicyView, errors: ['NOT_PROVISIONED'] }),
  'queue.list': method({ input: noInput, output: QueueSnapshot, errors: ['NOT_PROVISIONED'] }),
  'shift.current': method({ input: noInput, output: ShiftView.nullable(), errors: ['NOT_PROVISIONED'] }),
  'shift.open': method({ input: ShiftOpenInput, output: ShiftView, errors: ['NOT_PROVISIONED'] }),
  'manager.status': method({ input: noInput, output: ManagerStatus, errors: ['KEYCHAIN'] }),
  'manager.signIn': method({ input: ManagerSignInInput, output: ManagerSessionView, errors: ['PIN_REJECTED', 'PIN_LOCKED', 'KEYCHAIN'] }),
  'manager.signOut': method({ input: noInput, output: z.object({ signedOut: z.literal(true) }), errors: [] }),
  'coupon.return': managerMethod({ input: CouponReturnInput, output: OperationResult, errors: ['NOT_PROVISIONED'] }),
  'coupon.deactivate': managerMethod({ input: CouponDeactivateInput, output: OperationResult, errors: ['NOT_PROVISIONED'] }),
  'queue.retry': managerMethod({ input: OperationRef, output: QueueItem, errors: ['NOT_PROVISIONED', 'NOT_FOUND', 'STATE_CONFLICT'] }),
  'queue.ack': managerMethod({ input: AcknowledgeInput, output: QueueItem, errors: ['NOT_PROVISIONED', 'NOT_FOUND', 'STATE_CONFLICT'] }),
  'shift.report': managerMethod({ input: noInput, output: ShiftReportView.nullable(), errors: ['NOT_PROVISIONED'] }),
  'shift.close': managerMethod({ input: noInput, output: ShiftCloseResult, errors: ['NOT_PROVISIONED', 'NOT_FOUND'] }),
  'offline.policy': managerMethod({ input: noInput, output: OfflinePolicyView, errors: ['NOT_PROVISIONED'] }),
  'offline.setPolicy': managerMethod({ input: z.object({ policy: OfflinePolicy }).strict(), output: OfflinePolicyView, errors: ['NOT_PROVISIONED'] }),
  'order.setPolicy': managerMethod({ input: z.object({ policy: StackingPolicy }).strict(), output: StackingPolicyView, errors: ['NOT_PROVISIONED'] }),
  ...backofficeMethods(),
  'print.config': method({ input: noInput, output: PrintConfig, errors: [] }),
  'print.setup': managerMethod({ input: PrintSetupInput, output: PrintConfig, errors: ['CONFIGURATION'] }),
  'merchant.live': managerMethod({ input: noInput, output: LiveMerchantView.nullable(), errors: [] }),
  'merchant.provision': managerMethod({ input: MerchantProvisionInput, output: MerchantProvisionResult, errors: ['CONFIGURATION', 'KEYCHAIN', 'STATE_CONFLICT'] }),
  'merchant.test': managerMethod({ input: noInput, output: ConnectionTest, errors: ['NOT_PROVISIONED'] }),
  'training.practice': method({ input: noInput, output: PracticeSheet, errors: ['NOT_PROVISIONED', 'STATE_CONFLICT'] }),
  'print.slip': method({ input: PrintSlipInput, output: z.object({ printed: z.literal(true) }), errors: ['CONFIGURATION'] }),
} satisfies Record<MethodName, MethodDef<z.ZodType, z.ZodType>>;

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

// names.ts is the zod-free list the sandboxed preload bundles; this keeps the two in step.
const missing = methodNames.filter((n) => !(n in contract));
const extra = Object.keys(contract).filter((n) => !(methodNames as readonly string[]).includes(n));
if (missing.length || extra.length) throw new Error(`contract and names.ts disagree: ${[...missing, ...extra].join(', ')}`);

/** What the register's credential may call: the order methods marked `register` in the contract. */
export const registerMethods: readonly MethodName[] = (Object.keys(contract) as MethodName[]).filter((m) => 'register' in contract[m] && contract[m].register === true);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
