// The store's policies as the desk and the till read them: who set them and when.
import type { OfflinePolicyView, StackingPolicyView } from '../../shared/contract';
import type { TillRuntime } from './runtime';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function offlineView(r: TillRuntime): OfflinePolicyView {
  const d = r.pos.policy.describe();
  return { policy: d.policy, updatedBy: d.updatedBy, updatedAt: iso(d.updatedAt) };
}

export function stackingView(r: TillRuntime): StackingPolicyView {
  const d = r.pos.stacking.describe();
  return { policy: d.policy, source: d.source, updatedBy: d.updatedBy, updatedAt: iso(d.updatedAt) };
}
