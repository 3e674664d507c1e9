// Injected failures, so clients can be tested against what WeChat Pay does on its worst days.
// A rule names an endpoint (or `*`), a phase — `before` the state is touched (the request is
// never processed) or `after` (the state changed, the answer is lost or wrong) — and either a
// probability or a script consumed one matching request at a time. Decisions come from one
// seeded generator, so a given seed and request order always produce the same faults.
import { endpoints } from '../../shared/busifavor/index';

export const FAULT_KINDS = [
  'system_error',
  'bad_gateway',
  'service_unavailable',
  'rate_limited',
  'latency',
  'timeout',
  'reset',
  'bad_signature',
  'skewed_timestamp',
  'signtest',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultPhase = 'before' | 'after';

/** Kinds that change how the answer is signed; they act on the response, so always "after". */
const RESPONSE_SHAPING = new Set<FaultKind>(['bad_signature', 'skewed_timestamp', 'signtest']);

export const CERTIFICATES_ENDPOINT = 'certificates';
export const ANY_ENDPOINT = '*';

export interface FaultRule {
  /** Endpoint id (`coupons.use`), `certificates`, or `*` (default). */
  endpoint?: string;
  phase?: FaultPhase;
  /** For probability rules. */
  kind?: FaultKind;
  /** 0..1, default 1. */
  probability?: number;
  /** Scripted: the n-th matching request gets the n-th entry; `ok` means no fault. */
  script?: (FaultKind | 'ok')[];
  /** Start the script again when it runs out (default: stop faulting). */
  repeat?: boolean;
  /** Stop after this many faults. */
  times?: number;
  latency_ms?: number;
  skew_seconds?: number;
}

export interface Fault {
  kind: FaultKind;
  phase: FaultPhase;
  latencyMs: number;
  skewSeconds: number;
  rule: number;
}

/** mulberry32: small, fast and fully determined by its seed. */
export class FaultRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

const ALIASES: Record<string, FaultKind> = {
  '500': 'system_error',
  system_error: 'system_error',
  '502': 'bad_gateway',
  bad_gateway: 'bad_gateway',
  '503': 'service_unavailable',
  service_unavailable: 'service_unavailable',
  '429': 'rate_limited',
  rate_limited: 'rate_limited',
  latency: 'latency',
  delay: 'latency',
  timeout: 'timeout',
  no_response: 'timeout',
  reset: 'reset',
  bad_signature: 'bad_signature',
  corrupt_signature: 'bad_signature',
  skew: 'skewed_timestamp',
  skewed_timestamp: 'skewed_timestamp',
  signtest: 'signtest',
};

const KNOWN_ENDPOINTS = new Set<string>([...Object.keys(endpoints), CERTIFICATES_ENDPOINT, ANY_ENDPOINT]);

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

function kindOf(word: string): FaultKind {
  const kind = ALIASES[word.toLowerCase()];
  if (!kind) throw new FaultSpecError(`unknown fault kind "${word}" (one of ${Object.keys(ALIASES).join(', ')})`);
  return kind;
}

/** Checks a rule and fills its defaults; throws FaultSpecError naming what is wrong. */
export function normalizeRule(rule: FaultRule): FaultRule {
  const endpoint = rule.endpoint ?? ANY_ENDPOINT;
  if (!KNOWN_ENDPOINTS.has(endpoint)) throw new FaultSpecError(`unknown endpoint "${endpoint}"`);
  const script = rule.script?.map((k) => (k === 'ok' ? 'ok' : kindOf(k)));
  const kind = rule.kind === undefined ? undefined : kindOf(rule.kind);
  if ((kind === undefined) === (script === undefined)) throw new FaultSpecError('a fault rule needs exactly one of "kind" or "script"');
  if (script && script.length === 0) throw new FaultSpecError('a fault script needs at least one entry');
  const probability = rule.probability ?? 1;
  if (!(probability >= 0 && probability <= 1)) throw new FaultSpecError('probability must be between 0 and 1');
  const phase = rule.phase ?? 'before';
  if (phase !== 'before' && phase !== 'after') throw new FaultSpecError('phase must be "before" or "after"');
  for (const [name, value] of [
    ['latency_ms', rule.latency_ms],
    ['skew_seconds', rule.skew_seconds],
    ['times', rule.times],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new FaultSpecError(`${name} must be a non-negative number`);
  }
  const out: FaultRule = { endpoint, phase, probability };
  if (kind) out.kind = kind;
  if (script) out.script = script;
  if (rule.repeat) out.repeat = true;
  if (rule.times !== undefined) out.times = rule.times;
  if (rule.latency_ms !== undefined) out.latency_ms = rule.latency_ms;
  if (rule.skew_seconds !== undefined) out.skew_seconds = rule.skew_seconds;
  return out;
}

/**
 * `--faults` text: rules separated by `,`, each `[endpoint:][phase:]action`, where action is
 * `kind[=param][@probability][xTIMES]` or `script=kind/kind/ok/…[/repeat]`; e.g.
 * `coupons.use:after:reset@0.2,*:latency=300@0.1,coupons.send:script=ok/500/timeout`.
 * A JSON array of FaultRule objects is accepted too.
 */
export function parseFaultSpec(spec: string): FaultRule[] {
  const text = spec.trim();
  if (text === '') return [];
  if (text.startsWith('[') || text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new FaultSpecError('fault spec looks like JSON but does not parse');
    }
    return (Array.isArray(parsed) ? parsed : [parsed]).map((r) => normalizeRule(r as FaultRule));
  }
  return text.split(',').map((piece) => {
    const parts = piece.trim().split(':');
    const action = parts.pop() ?? '';
    const rule: FaultRule = {};
    for (const part of parts) {
      if (part === 'before' || part === 'after') rule.phase = part;
      else rule.endpoint = part;
    }
    if (action.startsWith('script=')) {
      const items = action.slice('script='.length).split('/');
      if (items[items.length - 1] === 'repeat') {
        items.pop();
        rule.repeat = true;
      }
      rule.script = items.map((item) => {
        const [word = '', param] = item.split('=');
        if (param !== undefined) applyParam(rule, kindOf(word), param);
        return word === 'ok' ? 'ok' : kindOf(word);
      });
      return normalizeRule(rule);
    }
    const match = /^([a-z_]+|\d{3})(?:=([0-9.]+))?(?:@([0-9.]+))?(?:x(\d+))?$/i.exec(action);
    if (!match) throw new FaultSpecError(`cannot read fault "${piece}"`);
    const [, word = '', param, probability, times] = match;
    rule.kind = kindOf(word);
    if (param !== undefined) applyParam(rule, rule.kind, param);
    if (probability !== undefined) rule.probability = Number(probability);
    if (times !== undefined) rule.times = Number(times);
    return normalizeRule(rule);
  });
}

function applyParam(rule: FaultRule, kind: FaultKind, param: string): void {
  if (kind === 'latency') rule.latency_ms = Number(param);
  else if (kind === 'skewed_timestamp') rule.skew_seconds = Number(param);
  else throw new FaultSpecError(`fault "${kind}" takes no parameter`);
}

interface LiveRule {
  rule: FaultRule;
  /** Matching requests seen (the script position). */
  seen: number;
  applied: number;
}

export const DEFAULT_LATENCY_MS = 1000;
export const DEFAULT_SKEW_SECONDS = 600;

export class FaultPlan {
  #rules: LiveRule[] = [];
  #random: FaultRandom;
  #seed: number;
  /** How many faults each kind produced, for the admin API. */
  readonly produced = new Map<FaultKind, number>();

  constructor(seed: number, rules: FaultRule[] = []) {
    this.#seed = seed;
    this.#random = new FaultRandom(seed);
    this.set(rules);
  }

  /** Replaces every rule; the generator restarts from the seed, so a plan replays identically. */
  set(rules: FaultRule[]): void {
    const normalized = rules.map(normalizeRule);
    this.#rules = normalized.map((rule) => ({ rule, seen: 0, applied: 0 }));
    this.#random = new FaultRandom(this.#seed);
  }

  add(rules: FaultRule[]): void {
    this.#rules.push(...rules.map(normalizeRule).map((rule) => ({ rule, seen: 0, applied: 0 })));
  }

  clear(): void {
    this.set([]);
  }

  list(): (FaultRule & { seen: number; applied: number })[] {
    return this.#rules.map((r) => ({ ...r.rule, seen: r.seen, applied: r.applied }));
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /**
   * What happens to one request: at most one fault before the state is touched and one
   * after. Every matching rule takes its turn (a script advances, a probability draws) on
   * every request, so the sequence of decisions depends only on the seed and the traffic.
   */
  plan(endpoint: string): FaultDecision {
    const decision: FaultDecision = {};
    for (let i = 0; i < this.#rules.length; i++) {
      const live = this.#rules[i] as LiveRule;
      const { rule } = live;
      if (rule.endpoint !== ANY_ENDPOINT && rule.endpoint !== endpoint) continue;
      if (rule.times !== undefined && live.applied >= rule.times) continue;
      const kind = this.#pick(live);
      if (!kind) continue;
      const phase: FaultPhase = RESPONSE_SHAPING.has(kind) ? 'after' : (rule.phase ?? 'before');
      if (decision[phase]) continue;
      live.applied += 1;
      this.produced.set(kind, (this.produced.get(kind) ?? 0) + 1);
      decision[phase] = { kind, phase, latencyMs: rule.latency_ms ?? DEFAULT_LATENCY_MS, skewSeconds: rule.skew_seconds ?? DEFAULT_SKEW_SECONDS, rule: i };
    }
    return decision;
  }

  #pick(live: LiveRule): FaultKind | undefined {
    const { rule } = live;
    const position = live.seen;
    live.seen += 1;
    if (rule.script) {
      const entry = rule.repeat ? rule.script[position % rule.script.length] : rule.script[position];
      return entry === undefined || entry === 'ok' ? undefined : entry;
    }
    const probability = rule.probability ?? 1;
    if (probability >= 1) return rule.kind;
    return this.#random.next() < probability ? rule.kind : undefined;
  }
}

export interface FaultDecision {
  before?: Fault;
  after?: Fault;
}
