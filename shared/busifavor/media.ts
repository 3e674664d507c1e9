// Marketing image upload (docs/wechatpay/busifavor.md#image-upload, docs/wechatpay/apiv3.md#multipart-upload): multipart with a `meta` JSON part
// (which is also the signed body) and the `file` part. The schema describes `meta`; the file
// limits are constants both sides check.
import { z } from 'zod';
import { defineEndpoint } from './endpoint';
import { text } from './fields';

export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
export type ImageType = 'jpg' | 'png' | 'bmp';
export const IMAGE_CONTENT_TYPES: Record<ImageType, string> = { jpg: 'image/jpg', png: 'image/png', bmp: 'image/bmp' };

export const imageMeta = z.strictObject({
  filename: text(1, 128).superRefine((value, ctx) => {
    if (typeof value === 'string' && !/\.(jpe?g|png|bmp)$/i.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: '文件名必须以 .jpg、.jpeg、.png 或 .bmp 结尾',
        params: { issue: 'filename must end in .jpg, .jpeg, .png or .bmp', rule: 'image_ext' },
      });
    }
  }),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { message: '必须是文件内容的 64 位十六进制 SHA-256 摘要' }),
});

export type ImageMeta = z.input<typeof imageMeta>;

/** What the bytes really are, by magic number (the filename is not trusted for this): one of the types WeChat accepts, or null. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  const at = (i: number) => bytes[i] ?? -1;
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'png';
  // A BMP's file header alone is 14 bytes.
  if (bytes.length >= 14 && at(0) === 0x42 && at(1) === 0x4d) return 'bmp';
  return null;
}

export const uploadImage = defineEndpoint({
  id: 'media.imageUpload',
  method: 'POST',
  path: '/v3/marketing/favor/media/image-upload',
  pathParams: null,
  query: null,
  body: imageMeta,
  bodyKind: 'multipart',
  response: z.looseObject({ media_url: z.string() }),
  successStatus: 200,
  idempotencyKey: null,
  idempotencyIn: null,
  rateLimit: { limit: 100, per: 'minute' },
  summary: '营销图片上传',
});
