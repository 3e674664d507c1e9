// Merchant-level settings: the simulated merchants themselves (admin), the event notify URL
// (docs/wechatpay/busifavor.md#callbacks) and marketing image uploads whose URLs stocks may reference
// (docs/wechatpay/busifavor.md#image-upload).
import { notifyUrl } from '../../../shared/busifavor/callbacks';
import type { ImageMeta } from '../../../shared/busifavor/media';
import type { MerchantPermissions, SimMerchant } from './model';
import { fail, noAuth, notFound, ok, paramError, type SimResult } from './result';
import { callerMerchant, isFail } from './stocks';
import type { World } from './world';

export interface MerchantInput {
  mchid: string;
  appids?: string[];
  managed_merchants?: string[];
  permissions?: Partial<MerchantPermissions>;
}

/** Admin: adds a merchant or updates an existing one (appids and managed merchants are merged). */
export function upsertMerchant(world: World, input: MerchantInput): SimMerchant {
  const existing = world.merchants.get(input.mchid);
  const merged: SimMerchant = {
    mchid: input.mchid,
    appids: [...new Set([...(existing?.appids ?? []), ...(input.appids ?? [])])],
    managed_merchants: [...new Set([...(existing?.managed_merchants ?? []), ...(input.managed_merchants ?? [])])],
    permissions: { busifavor: true, send: true, event_push: true, subsidy: true, ...existing?.permissions, ...input.permissions },
  };
  if (existing?.notify_url !== undefined) merged.notify_url = existing.notify_url;
  if (existing?.notify_update_time !== undefined) merged.notify_update_time = existing.notify_update_time;
  world.merchants.set(input.mchid, merged);
  return merged;
}

/** The merchant whose notify URL is read or written: the caller itself or one it manages. */
function callbackTarget(world: World, caller: SimMerchant, mchid: string | undefined): SimMerchant | SimResult {
  const target = mchid ?? caller.mchid;
  const record = world.merchants.get(target);
  // Wording seen on the sibling favor (代金券) callbacks API.
  if (!record) return fail(400, 'MCH_NOT_EXISTS', '商户号不合法');
  if (target !== caller.mchid && !caller.managed_merchants.includes(target)) return noAuth('调用商户无权操作该商户的通知地址');
  return record;
}

export function setCallbacks(world: World, caller: string, body: { mchid?: string; notify_url?: string }): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  const target = callbackTarget(world, merchant, body.mchid);
  if ('ok' in target) return target;
  if (!merchant.permissions.event_push) return noAuth('商户未开通营销事件推送权限');
  // Wording seen on the sibling favor callbacks API.
  if (typeof body.notify_url !== 'string' || body.notify_url === '') return paramError('回调URL不能为空', 'notify_url');
  const checked = notifyUrl().safeParse(body.notify_url);
  if (!checked.success) return paramError(checked.error.issues[0]?.message ?? '通知地址不合法', 'notify_url');
  target.notify_url = body.notify_url;
  target.notify_update_time = world.nowText();
  return ok({ update_time: target.notify_update_time, notify_url: target.notify_url, mchid: target.mchid });
}

export function getCallbacks(world: World, caller: string, query: { mchid?: string }): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  const target = callbackTarget(world, merchant, query.mchid);
  if ('ok' in target) return target;
  if (target.notify_url === undefined) return notFound('尚未设置通知地址');
  return ok({ mchid: target.mchid, notify_url: target.notify_url });
}

/** One permanent URL per image content: uploading the same bytes again answers the same URL. */
export function uploadImage(world: World, caller: string, meta: ImageMeta): SimResult {
  const merchant = callerMerchant(world, caller);
  if (isFail(merchant)) return merchant;
  if (typeof meta.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(meta.sha256)) return paramError('sha256 必须是 64 位十六进制摘要', 'sha256');
  if (typeof meta.filename !== 'string' || !/\.(jpe?g|png|bmp)$/i.test(meta.filename) || meta.filename.length > 128) {
    return paramError('文件名必须以 .jpg、.jpeg、.png 或 .bmp 结尾且不超过 128 个字符', 'filename');
  }
  const sha = meta.sha256.toLowerCase();
  const existing = world.media.get(sha);
  if (existing) return ok({ media_url: existing.media_url });
  const media_url = `https://qpic.cn/busifavor-sim/${sha}`;
  world.addMedia({ sha256: sha, media_url, filename: meta.filename, mchid: caller, upload_time: world.nowText() });
  return ok({ media_url });
}
