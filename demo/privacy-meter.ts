/**
 * Counts the network requests the page makes after a starting point, from the browser's own
 * record of resource loads (PerformanceObserver 'resource' entries). Typing must leave it at 0.
 */
export class PrivacyMeter {
  private since = Number.POSITIVE_INFINITY;
  private count = 0;
  private readonly urls: string[] = [];
  private readonly observer: PerformanceObserver | undefined;

  constructor(private readonly onChange: (count: number, urls: readonly string[]) => void) {
    if (typeof PerformanceObserver === 'undefined') return;
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.record(entry);
    });
    this.observer.observe({ type: 'resource', buffered: true });
  }

  /** Starts counting: requests that begin from now on count. */
  start(): void {
    this.since = performance.now();
    this.count = 0;
    this.urls.length = 0;
    this.onChange(0, this.urls);
  }

  /** Requests counted so far. */
  get requests(): number {
    return this.count;
  }

  /** Their URLs. */
  get requestUrls(): readonly string[] {
    return this.urls;
  }

  private record(entry: PerformanceEntry): void {
    if (entry.startTime < this.since) return;
    this.count++;
    this.urls.push(entry.name);
    this.onChange(this.count, this.urls);
  }
}
