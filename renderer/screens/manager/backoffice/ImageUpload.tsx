import { useEffect, useState } from 'react';
import { detectImageType, IMAGE_MAX_BYTES } from '../../../../shared/busifavor/media';
import { useI18n } from '../../../i18n/i18n';
import type { ManagerCall } from '../../../manager/useManager';
import { outcomeSaid, type Said } from './outcome';

export type ImageUse = 'merchant_logo_url' | 'coupon_image_url';

/** Why WeChat Pay would refuse this file (docs/wechatpay/busifavor.md#image-upload), checked before anything is sent. */
function imageProblem(name: string, bytes: Uint8Array): 'name' | 'size' | 'type' | null {
  if (!/\.(jpe?g|png|bmp)$/i.test(name) || Array.from(name).length > 128) return 'name';
  if (bytes.length === 0 || bytes.length > IMAGE_MAX_BYTES) return 'size';
  return detectImageType(bytes) ? null : 'type';
}

const base64 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

/** A marketing image (the logo, the coupon picture): checked, previewed, uploaded; its URL goes into the stock form. */
export function ImageUpload({ call, onUse }: { call: ManagerCall; onUse: (use: ImageUse, url: string) => void }) {
  const { t, refusal } = useI18n();
  const [file, setFile] = useState<{ name: string; bytes: Uint8Array; preview: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [said, setSaid] = useState<Said | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => (file ? URL.revokeObjectURL(file.preview) : undefined), [file]);

  const pick = async (f: File) => {
    setSaid(null);
    setUrl(null);
    const bytes = new Uint8Array(await f.arrayBuffer());
    const p = imageProblem(f.name, bytes);
    if (p) {
      setFile(null);
      setProblem(t(`bo.image.bad_${p}`, { mb: IMAGE_MAX_BYTES / 1024 / 1024 }));
      return;
    }
    setProblem(null);
    setFile({ name: f.name, bytes, preview: URL.createObjectURL(f) });
  };
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    const o = await call('backoffice.uploadImage', { filename: file.name, contentBase64: base64(file.bytes) });
    setBusy(false);
    const got = o.kind === 'ok' && o.value.status === 'succeeded' ? ((o.value.result ?? {}) as { media_url?: string }).media_url : undefined;
    setSaid(outcomeSaid(t, refusal, o, t('bo.image.done')));
    setUrl(got ?? null);
  };

  return (
    <div className="bo-image" data-testid="bo-image">
      <p className="muted">{t('bo.image.explain', { mb: IMAGE_MAX_BYTES / 1024 / 1024 })}</p>
      <input
        type="file"
        accept=".jpg,.jpeg,.png,.bmp,image/jpeg,image/png,image/bmp"
        data-testid="bo-image-file"
        onChange={(e) => e.target.files?.[0] && void pick(e.target.files[0])}
      />
      {problem && (
        <p className="shift-problem" role="alert" data-testid="bo-image-problem">
          {problem}
        </p>
      )}
      {file && (
        <>
          <img className="bo-preview" src={file.preview} alt={file.name} data-testid="bo-image-preview" />
          <button type="button" className="manager-primary" data-testid="bo-image-upload" disabled={busy || url !== null} onClick={() => void upload()}>
            {t('bo.image.upload')}
          </button>
        </>
      )}
      {said && (
        <p className={said.ok ? 'attention-message' : 'shift-problem'} data-testid="bo-image-message" data-status={said.status}>
          {said.text}
        </p>
      )}
      {url && (
        <div className="manager-choices">
          <code data-testid="bo-image-url">{url}</code>
          {(['merchant_logo_url', 'coupon_image_url'] as const).map((use) => (
            <button key={use} type="button" data-testid={`bo-image-use-${use}`} onClick={() => onUse(use, url)}>
              {t(`bo.image.use_${use}`)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
