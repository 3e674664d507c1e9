import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { buildImageUpload, parseImageUpload, parseMultipart } from '../../../electron/wechatpay/upload';
import { detectImageType, IMAGE_MAX_BYTES } from '../../../shared/busifavor/media';
import { WechatPayError } from '../../../electron/wechatpay/errors';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const BMP = Buffer.concat([Buffer.from('BM'), Buffer.alloc(12)]);

function image(magic: Buffer, size: number, fill = 0x41): Buffer {
  return Buffer.concat([magic, Buffer.alloc(Math.max(0, size - magic.length), fill)]);
}

function refusal(fn: () => unknown): WechatPayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WechatPayError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('image upload body', () => {
  it('meta JSON is the signed body, sha256 is the hex of the file, and the body parses back', () => {
    const content = image(JPG, 5000, 0x5a);
    const upload = buildImageUpload({ filename: 'filea.jpg', content });
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(upload.signedBody).toBe(`{"filename":"filea.jpg","sha256":"${sha256}"}`);
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
    const parsed = parseImageUpload(upload.body, upload.contentType);
    expect(parsed.metaJson).toBe(upload.signedBody);
    expect(parsed.meta).toEqual({ filename: 'filea.jpg', sha256 });
    expect(parsed.file.filename).toBe('filea.jpg');
    expect(parsed.file.contentType).toBe('image/jpg');
    expect(parsed.file.data.equals(content)).toBe(true);
    const parts = parseMultipart(upload.body, upload.contentType);
    expect(parts.map((p) => [p.name, p.contentType])).toEqual([
      ['meta', 'application/json'],
      ['file', 'image/jpg'],
    ]);
  });

  it('round-trips arbitrary image bytes (even ones containing CRLF and dashes) and names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(PNG, JPG, BMP),
        fc.uint8Array({ maxLength: 2000 }),
        fc.stringMatching(/^[A-Za-z0-9_\-\u4e00-\u4e20 ]{1,60}$/),
        fc.constantFrom('.png', '.jpg', '.JPEG', '.bmp'),
        (magic, tail, stem, ext) => {
          const content = Buffer.concat([magic, Buffer.from(tail), Buffer.from('\r\n--\r\n')]);
          const upload = buildImageUpload({ filename: `${stem}${ext}`, content });
          const parsed = parseImageUpload(upload.body, upload.contentType);
          expect(parsed.file.data.equals(content)).toBe(true);
          expect(parsed.meta.filename).toBe(`${stem}${ext}`);
          expect(JSON.parse(parsed.metaJson)).toEqual(upload.meta);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('detects JPG, PNG and BMP by magic bytes only', () => {
    expect(detectImageType(image(JPG, 10))).toBe('jpg');
    expect(detectImageType(image(PNG, 10))).toBe('png');
    expect(detectImageType(BMP)).toBe('bmp');
    expect(detectImageType(Buffer.from('GIF89a......'))).toBeNull();
    expect(detectImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});

describe('refused before sending', () => {
  it('files over 2 MB (exactly 2 MB is fine)', () => {
    expect(() => buildImageUpload({ filename: 'a.jpg', content: image(JPG, IMAGE_MAX_BYTES) })).not.toThrow();
    expect(refusal(() => buildImageUpload({ filename: 'a.jpg', content: image(JPG, IMAGE_MAX_BYTES + 1) }))).toMatchObject({
      kind: 'rejected',
      code: 'UPLOAD_TOO_LARGE',
    });
  });

  it('file names that are empty, longer than 128 characters, of another type, or unsafe in a header', () => {
    const content = image(PNG, 100);
    expect(() => buildImageUpload({ filename: `${'图'.repeat(124)}.png`, content })).not.toThrow();
    for (const filename of ['', `${'a'.repeat(125)}.png`, 'a.gif', 'a.png.exe', 'png', 'a"b.png', 'a\r\nb.png', 'dir/a.png']) {
      expect([filename, refusal(() => buildImageUpload({ filename, content })).code]).toEqual([filename, 'UPLOAD_BAD_FILENAME']);
    }
  });

  it('content that is not really a JPG, PNG or BMP, and empty files', () => {
    expect(refusal(() => buildImageUpload({ filename: 'a.png', content: Buffer.from('GIF89a not a png') })).code).toBe('UPLOAD_BAD_CONTENT');
    expect(refusal(() => buildImageUpload({ filename: 'a.jpg', content: Buffer.from('%PDF-1.7') })).code).toBe('UPLOAD_BAD_CONTENT');
    expect(refusal(() => buildImageUpload({ filename: 'a.jpg', content: Buffer.alloc(0) })).code).toBe('UPLOAD_EMPTY');
  });
});

describe('multipart parser errors', () => {
  it('refuses bodies without the boundary, the parts, or JSON meta', () => {
    const upload = buildImageUpload({ filename: 'a.png', content: image(PNG, 50) });
    expect(refusal(() => parseMultipart(upload.body, 'application/json')).code).toBe('INVALID_REQUEST');
    expect(refusal(() => parseMultipart(upload.body, 'multipart/form-data; boundary=nope')).code).toBe('INVALID_REQUEST');
    const boundary = 'XyZ';
    const onlyFile = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc\r\n--${boundary}--\r\n`);
    expect(refusal(() => parseImageUpload(onlyFile, `multipart/form-data; boundary=${boundary}`)).code).toBe('INVALID_REQUEST');
    const badMeta = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="meta";\r\n\r\n{nope\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc\r\n--${boundary}--\r\n`,
    );
    expect(refusal(() => parseImageUpload(badMeta, `multipart/form-data; boundary="${boundary}"`)).code).toBe('PARAM_ERROR');
  });
});
