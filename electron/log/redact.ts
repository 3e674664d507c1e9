// Last line of defence: anything that looks like PEM key material, plus any secret the
// caller names (the APIv3 key), is replaced before a line is written anywhere.
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;
const PEM_ESCAPED = /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\\n|[A-Za-z0-9+/=\s])*(-----END [A-Z ]*PRIVATE KEY-----)?/g;

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(PEM_ESCAPED, '[redacted private key]').replace(PEM_BLOCK, '[redacted private key]');
  for (const s of secrets) {
    if (s && s.length >= 8) out = out.split(s).join('[redacted]');
  }
  return out;
}
