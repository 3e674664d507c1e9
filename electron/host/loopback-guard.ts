// Who may talk to a service on a loopback port: a program on this machine that names the
// port by its own loopback name. A page in the cashier's browser can reach loopback too — by
// DNS rebinding (then Host is the attacker's name) or by a cross-site request (then Origin or
// Sec-Fetch-Site gives it away) — so both the web host and the simulator's admin API refuse
// those before anything else, and then ask for their own secret token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The Host values a loopback service on `port` answers to. */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** Why a request must be refused (403), or null when its Host, Origin and fetch site are this service's own. */
export function foreignRequest(headers: IncomingHttpHeaders, port: number): string | null {
  const hosts = loopbackHosts(port);
  if (!hosts.includes(headers.host ?? '')) return 'forbidden host';
  const origin = headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) return 'forbidden origin';
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site request';
  return null;
}

/** Whether `Authorization: Bearer …` carries `token`, compared in constant time. */
export function hasBearer(headers: IncomingHttpHeaders, token: string): boolean {
  const auth = headers.authorization ?? '';
  const given = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
