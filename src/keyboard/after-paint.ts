/** When a frame was painted. */
export interface PaintTime {
  /** `performance.now()` just after the frame was painted. */
  readonly time: number;
  /** The frame's timestamp (what its requestAnimationFrame callbacks received); NaN without frames. */
  readonly frameTime: number;
}

/**
 * Resolves just after the browser has painted the next frame: a task posted from a
 * requestAnimationFrame callback runs once that frame is on screen. Used to measure
 * keystroke-to-painted-candidates latency. Where frames never come (no rAF, a hidden tab) it
 * resolves after `timeoutMs` with the time it gave up.
 */
export function afterNextPaint(view: Window | null, timeoutMs = 1000): Promise<PaintTime> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (frameTime: number) => {
      if (done) return;
      done = true;
      resolve({ time: performance.now(), frameTime });
    };
    if (!view || typeof view.requestAnimationFrame !== 'function') {
      queueMicrotask(() => finish(NaN));
      return;
    }
    const timer = setTimeout(() => finish(NaN), timeoutMs);
    view.requestAnimationFrame((frameTime) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        clearTimeout(timer);
        channel.port1.close();
        finish(frameTime);
      };
      channel.port2.postMessage(null);
    });
  });
}
