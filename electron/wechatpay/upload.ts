// Media (image) upload: a two-part multipart/form-data body whose signed "body" is the meta
// JSON only. Bad files are refused here, before anything is signed or sent.
import { createHash, randomBytes } from 'node:crypto';
import { detectImageType, IMAGE_CONTENT_TYPES, IMAGE_MAX_BYTES, type ImageType } from '../../shared/busifavor/media';
import { WechatPayError } from './errors';

const FILENAME = /\.(jpe?g|bmp|png)$/i;

export interface ImageUploadInput {
  filename: string;
  content: Buffer;
}

export interface ImageUploadBody {
  body: Buffer;
  contentType: string;
  /** The meta JSON exactly as placed in the `meta` part: this is what gets signed. */
  signedBody: string;
  meta: { filename: string; sha256: string };
}

function refuse(code: string, message: string): WechatPayError {
  return new WechatPayError({ kind: 'rejected', code, message });
}

export function assertUploadableImage(input: ImageUploadInput): ImageType {
  const length = [...input.filename].length;
  if (length < 1 || length > 128) refuseThrow('UPLOAD_BAD_FILENAME', 'The image file name must be 1 to 128 characters');
  // Quotes and line breaks would break out of the part header.
  if ([...input.filename].some((ch) => ch < ' ' || ch === '"' || ch === '\\' || ch === '/')) {
    refuseThrow('UPLOAD_BAD_FILENAME', 'The image file name contains characters that cannot be uploaded');
  }
  if (!FILENAME.test(input.filename)) refuseThrow('UPLOAD_BAD_FILENAME', 'The image file name must end in .jpg, .jpeg, .bmp or .png');
  if (input.content.length === 0) refuseThrow('UPLOAD_EMPTY', 'The image file is empty');
  if (input.content.length > IMAGE_MAX_BYTES) refuseThrow('UPLOAD_TOO_LARGE', 'The image is larger than 2 MB');
  const type = detectImageType(input.content);
  if (!type) refuseThrow('UPLOAD_BAD_CONTENT', 'The file is not a JPG, PNG or BMP image');
  return type;
}

function refuseThrow(code: string, message: string): never {
  throw refuse(code, message);
}

export function buildImageUpload(input: ImageUploadInput): ImageUploadBody {
  const type = assertUploadableImage(input);
  const meta = { filename: input.filename, sha256: createHash('sha256').update(input.content).digest('hex') };
  const signedBody = JSON.stringify(meta);
  const boundary = `----WechatPayTill${randomBytes(12).toString('hex')}`;
  const head =
    `--${boundary}\r\n` +
    'Content-Disposition: form-data; name="meta";\r\n' +
    'Content-Type: application/json\r\n\r\n' +
    `${signedBody}\r\n` +
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${input.filename}"\r\n` +
    `Content-Type: ${IMAGE_CONTENT_TYPES[type]}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head, 'utf8'), input.content, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, signedBody, meta };
}

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data reader (the simulator's side of the upload). */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) throw refuse('INVALID_REQUEST', 'Not a multipart/form-data body');
  const delimiter = Buffer.from(`--${boundary.trim()}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw refuse('INVALID_REQUEST', 'Multipart boundary not found');
  for (;;) {
    position += delimiter.length;
    if (body[position] === 0x2d && body[position + 1] === 0x2d) return parts; // closing "--"
    if (body[position] === 0x0d && body[position + 1] === 0x0a) position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    const next = body.indexOf(delimiter, position);
    if (headerEnd < 0 || next < 0 || headerEnd > next) throw refuse('INVALID_REQUEST', 'Malformed multipart part');
    const headers = body.subarray(position, headerEnd).toString('utf8');
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    const disposition = /content-disposition:\s*form-data([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw refuse('INVALID_REQUEST', 'Multipart part without a name');
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    parts.push({
      name,
      data: body.subarray(headerEnd + 4, end),
      ...(filename !== undefined ? { filename } : {}),
      ...(type !== undefined ? { contentType: type } : {}),
    });
    position = next;
  }
}

export interface ParsedImageUpload {
  /** Raw meta part text: the string the request signature covers. */
  metaJson: string;
  meta: { filename: string; sha256: string };
  file: MultipartPart;
}

/** Picks `meta` and `file` out of an upload body; shape errors are PARAM_ERROR/INVALID_REQUEST refusals. */
export function parseImageUpload(body: Buffer, contentType: string): ParsedImageUpload {
  const parts = parseMultipart(body, contentType);
  const metaPart = parts.find((p) => p.name === 'meta');
  const file = parts.find((p) => p.name === 'file');
  if (!metaPart || !file) throw refuse('INVALID_REQUEST', 'An upload needs a "meta" part and a "file" part');
  const metaJson = metaPart.data.toString('utf8');
  let meta: unknown;
  try {
    meta = JSON.parse(metaJson);
  } catch {
    throw refuse('PARAM_ERROR', 'The meta part is not JSON');
  }
  const { filename, sha256 } = (meta ?? {}) as { filename?: unknown; sha256?: unknown };
  if (typeof filename !== 'string' || typeof sha256 !== 'string') {
    throw refuse('PARAM_ERROR', 'The meta part needs string "filename" and "sha256"');
  }
  return { metaJson, meta: { filename, sha256 }, file };
}
