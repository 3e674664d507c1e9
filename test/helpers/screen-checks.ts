// What a cashier would see wrong on a screen, measured in the rendered DOM: the page scrolls,
// a block's content spills out of it, two labelled things overlap, something the cashier needs
// is off screen, a name is cut, or text fails WCAG AA contrast (axe-core's color-contrast rule).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export interface LayoutReport {
  /** The document itself scrolls (vertically or sideways). */
  scrolls: boolean;
  /** Blocks whose content is taller or wider than the block. */
  spills: string[];
  /** Pairs of labelled elements (data-testid) drawn over each other. */
  overlaps: string[];
  /** Labelled elements not wholly inside the window. */
  offScreen: string[];
  /** Text cut short with an ellipsis or clipped. */
  cut: string[];
}

// The till's blocks, and the desk's dialog: none may spill over what follows it.
const BLOCKS = [
  '.till-main > *',
  '.till-side > *',
  '.key-hints',
  '.coupon-card',
  '.coupon-main',
  '.quote',
  '.order-panel',
  '.redeem-side',
  '.outcome',
  '.manager-panel',
  '.sheet-dialog',
];
// Names that tell stocks and coupons apart: wrapped, never cut.
const NAMES = ['[data-testid="coupon-stock-name"]', '.stock-name', '.oc-name', '[data-testid="key-hints"] > span'];

// Plain JavaScript, sent as text: a compiled function would carry the bundler's helpers into the page.
const MEASURE = `(({ blocks, names }) => {
  const label = (el) => {
    const id = el.getAttribute('data-testid');
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + (id ? '[' + id + ']' : '') + cls;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  // What lies behind a modal dialog (inert, or under its backdrop) is not what the person looks at.
  const modals = document.querySelectorAll('[aria-modal="true"]');
  const layer = modals.length ? modals[modals.length - 1].parentElement : null;
  const behindDialog = (el) => el.closest('[inert]') !== null || (layer !== null && !layer.contains(el));
  // What of an element shows: its box cut to every ancestor that clips (a list that scrolls on purpose).
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = p.getBoundingClientRect();
      box = { left: Math.max(box.left, c.left), top: Math.max(box.top, c.top), right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom) };
    }
    return box.right - box.left > 1 && box.bottom - box.top > 1 ? box : null;
  };
  const doc = document.scrollingElement || document.documentElement;
  const scrolls = doc.scrollHeight > window.innerHeight + 1 || doc.scrollWidth > window.innerWidth + 1;
  const spills = [];
  for (const sel of blocks) {
    for (const el of document.querySelectorAll(sel)) {
      if (!visible(el) || behindDialog(el)) continue;
      if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2) spills.push(label(el) + ' ' + el.scrollWidth + '×' + el.scrollHeight + ' in ' + el.clientWidth + '×' + el.clientHeight);
    }
  }
  const labelled = Array.from(document.querySelectorAll('[data-testid]')).filter((el) => visible(el) && !behindDialog(el) && shown(el));
  const overlaps = [];
  for (let i = 0; i < labelled.length; i++) {
    for (let j = i + 1; j < labelled.length; j++) {
      const a = labelled[i], b = labelled[j];
      if (a.contains(b) || b.contains(a)) continue;
      const ra = shown(a), rb = shown(b);
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) overlaps.push(label(a) + ' × ' + label(b));
    }
  }
  const offScreen = labelled.filter((el) => {
    const r = shown(el);
    return r.left < -1 || r.top < -1 || r.right > window.innerWidth + 1 || r.bottom > window.innerHeight + 1;
  }).map(label);
  const cut = [];
  for (const sel of names) {
    for (const el of document.querySelectorAll(sel)) {
      if (!visible(el) || behindDialog(el)) continue;
      if (el.scrollWidth > el.clientWidth + 1) cut.push(label(el) + ' "' + (el.textContent || '').slice(0, 40) + '"');
    }
  }
  return { scrolls, spills, overlaps, offScreen, cut };
})`;

export async function layoutReport(page: Page): Promise<LayoutReport> {
  return page.evaluate(`${MEASURE}(${JSON.stringify({ blocks: BLOCKS, names: NAMES })})`) as Promise<LayoutReport>;
}

const axeSource = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Text that fails WCAG AA contrast (4.5:1, or 3:1 for large text), as axe-core judges it from
 * the computed styles. Evaluated through the DevTools protocol, so the page's CSP stays as is.
 */
export async function contrastFailures(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource());
  // Plain JavaScript again, for the same reason as MEASURE.
  return page.evaluate(`(async () => {
    const result = await window.axe.run({ exclude: [['[inert]']] }, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ') + ': ' + n.any.map((a) => a.message).join('; ')));
  })()`) as Promise<string[]>;
}
