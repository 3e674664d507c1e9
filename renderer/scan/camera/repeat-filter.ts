// A code held up to the camera is read on nearly every frame. It is handed on once, and
// again only after it has been out of sight for a while — so showing the same coupon twice
// on purpose still works, but holding it still does not scan it ten times.

export const DEFAULT_QUIET_MS = 1_500;

export class RepeatFilter {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly quietMs = DEFAULT_QUIET_MS) {}

  /** The texts of one frame seen at `at` (ms) → those that are new. */
  accept(texts: readonly string[], at: number): string[] {
    for (const [text, seen] of this.lastSeen) if (at - seen > this.quietMs) this.lastSeen.delete(text);
    const fresh: string[] = [];
    for (const text of new Set(texts)) {
      if (!this.lastSeen.has(text)) fresh.push(text);
      this.lastSeen.set(text, at);
    }
    return fresh;
  }
}
