/** Bank transfers that settle by themselves after a delay, unless a test settles them first. */
export class SettlementTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly delayMs: number,
    private readonly onError: (sessionId: string, error: unknown) => void,
  ) {}

  schedule(sessionId: string, settle: () => void): void {
    this.cancel(sessionId);
    const timer = setTimeout(() => {
      this.timers.delete(sessionId);
      try {
        settle();
      } catch (error) {
        this.onError(sessionId, error);
      }
    }, this.delayMs);
    this.timers.set(sessionId, timer);
  }

  cancel(sessionId: string): void {
    clearTimeout(this.timers.get(sessionId));
    this.timers.delete(sessionId);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
