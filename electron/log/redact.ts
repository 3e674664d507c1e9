// Last line of defence: anything that looks like PEM key material, plus every secret the
// process holds (log/known-secrets.ts), is replaced before a line is written anywhere.
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const PEM_ESCAPED = /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\\n|[A-Za-z0-9+/=\s])*(-----END [A-Z ]*PRIVATE KEY-----)?/g;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` is a JSON line, where a secret appears JSON-escaped: that spelling is blanked (the raw
 * one, quotes and all, could only match the line's own structure). A PIN is short and all
 * digits: it is blanked only where it stands alone, never inside a longer number such as a
 * timestamp or a request number.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(PEM_ESCAPED, '[redacted private key]').replace(PEM_BLOCK, '[redacted private key]');
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    const spelling = JSON.stringify(s).slice(1, -1);
    out = /^\d+$/.test(spelling) ? out.replace(new RegExp(`(?<!\\d)${escapeRegExp(spelling)}(?!\\d)`, 'g'), '[redacted]') : out.split(spelling).join('[redacted]');
  }
  return out;
}
