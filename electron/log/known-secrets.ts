// Every secret value this process has held: the APIv3 key and the private-key PEM read from or
// written to the keychain, a PKCS#12 password, managers' PINs. Each is remembered where it
// enters the process, and the logger blanks them wherever they turn up in a line — a library's
// error message quoting a key is then written redacted, not to disk.
const known = new Set<string>();

/** PEM bodies are also remembered line by line, so a fragment quoted without its header is caught. */
const PEM_LINE = /^[A-Za-z0-9+/=]{40,}$/;

export function rememberSecret(value: string | null | undefined): void {
  if (!value) return;
  known.add(value);
  if (value.includes('-----BEGIN')) for (const line of value.split(/\r?\n/)) if (PEM_LINE.test(line.trim())) known.add(line.trim());
}

export function knownSecrets(): Iterable<string> {
  return known;
}
