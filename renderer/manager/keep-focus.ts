// A desk action disables the button that was pressed while it runs, and a disabled button drops
// the focus onto the page's body: the manager's next key then goes nowhere. Every desk call is
// run through this, which puts the focus back once the outcome is drawn: on the element the
// manager was on, or — when the action made it go away (退券 is not offered for an unused coupon) —
// on the dialog's field marked data-autofocus, else its first field or button.

const FOCUSABLE = ['[data-autofocus]:not([disabled])', 'input:not([disabled])', 'button:not([disabled])'];

export async function keepingFocus<T>(run: () => Promise<T>): Promise<T> {
  const before = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  try {
    return await run();
  } finally {
    // After the caller's own state updates have been drawn.
    requestAnimationFrame(() => setTimeout(() => restore(before), 0));
  }
}

function restore(before: HTMLElement | null): void {
  const dialog = before?.closest<HTMLElement>('[role="dialog"]') ?? document.querySelector<HTMLElement>('[role="dialog"]');
  if (!dialog) return;
  const now = document.activeElement;
  // The manager has moved on by themselves: leave the focus where they put it.
  if (now && now !== document.body && dialog.contains(now)) return;
  const usable = before && before.isConnected && dialog.contains(before) && !(before as HTMLButtonElement).disabled;
  const fallback = () => FOCUSABLE.map((sel) => dialog.querySelector<HTMLElement>(sel)).find((el) => el !== null);
  (usable ? before : fallback())?.focus();
}
