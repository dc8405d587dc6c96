/**
 * The demo's history panel: lists what the engine learned, exports it to a JSON file (a
 * download made in the page, nothing sent anywhere), imports such a file, forgets one entry,
 * clears everything, and shows a notice when the history cannot be stored.
 */
import type { EngineClient } from '../src/worker/client.ts';
import type { LearnedEntry, WireStoreEvent } from '../src/worker/protocol.ts';

/** The elements the panel drives (see index.html). */
export interface HistoryPanelElements {
  readonly list: HTMLUListElement;
  readonly summary: HTMLElement;
  readonly notice: HTMLElement;
  readonly exportButton: HTMLButtonElement;
  readonly importInput: HTMLInputElement;
  readonly clearButton: HTMLButtonElement;
}

/** Entries listed at most (the strongest first); the summary gives the total. */
const LISTED = 50;

/** File name of an export: the day it was made. */
const exportName = () => `hanzi-ime-history-${new Date().toISOString().slice(0, 10)}.json`;

const FAILURE_TEXT: Readonly<Record<string, string>> = {
  unavailable: 'the browser\'s storage could not be opened',
  blocked: 'another tab holds an older copy open',
  quota: 'the storage is full',
  'write-failed': 'a write failed',
  superseded: 'a newer version of the page took over the storage',
  closed: 'the browser closed the storage',
};

/** The panel, wired to the engine's history through the worker client. */
export class HistoryPanel {
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private readonly notices: string[] = [];

  constructor(
    private readonly client: EngineClient,
    private readonly el: HistoryPanelElements,
  ) {
    client.onStorageEvent((event) => this.onStorageEvent(event));
    el.exportButton.addEventListener('click', () => void this.exportFile());
    el.importInput.addEventListener('change', () => void this.importFile());
    el.clearButton.addEventListener('click', () => void this.clearAll());
    el.list.addEventListener('click', (e) => {
      const button = (e.target as Element | null)?.closest<HTMLButtonElement>('button[data-forget]');
      if (button) void this.forget(button.dataset.forget!);
    });
  }

  /** Collects what happened while the engine started (e.g. storage unavailable) and lists the history. */
  async start(): Promise<void> {
    const status = await this.client.historyStatus();
    if (!status.enabled) {
      this.el.summary.textContent = 'This engine keeps no history.';
      return;
    }
    await this.refresh();
  }

  /** Lists the history again soon (after commits: several in a row make one refresh). */
  refreshSoon(delay = 300): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, delay);
  }

  /** Lists the history now; resolves when the list is on the page. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      try {
        this.render(await this.client.historyEntries());
      } catch (error) {
        this.el.summary.textContent = `Could not read the history: ${describe(error)}`;
      }
    });
    return this.refreshing;
  }

  private render(entries: readonly LearnedEntry[]): void {
    const { list, summary } = this.el;
    const shown = entries.slice(0, LISTED);
    summary.textContent =
      entries.length === 0
        ? 'Nothing learned yet. Pick candidates and they are learned here, on this device.'
        : `${entries.length} learned ${entries.length === 1 ? 'entry' : 'entries'}${entries.length > LISTED ? ` (the ${LISTED} strongest shown)` : ''}.`;
    list.replaceChildren(
      ...shown.map((entry) => {
        const item = document.createElement('li');
        item.className = 'entry';
        item.dataset.text = entry.text;
        const text = document.createElement('span');
        text.className = 'entry-text';
        text.textContent = entry.text;
        const meta = document.createElement('span');
        meta.className = 'entry-meta';
        meta.textContent = `${entry.reading || '–'} · ${entry.weight.toFixed(1)}${entry.phrase ? ' · phrase' : ''}`;
        const forget = document.createElement('button');
        forget.type = 'button';
        forget.className = 'forget';
        forget.dataset.forget = entry.text;
        forget.textContent = 'Forget';
        forget.setAttribute('aria-label', `Forget ${entry.text}`);
        item.append(text, meta, forget);
        return item;
      }),
    );
  }

  private async forget(text: string): Promise<void> {
    await this.client.forget(text);
    await this.refresh();
  }

  private async clearAll(): Promise<void> {
    // Everything learned goes, with no way back: ask first.
    if (!confirm('Forget everything learned on this device? This cannot be undone.')) return;
    await this.client.clearHistory();
    await this.refresh();
  }

  private async exportFile(): Promise<void> {
    const json = await this.client.exportHistory();
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = exportName();
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // The download has its own copy once started.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private async importFile(): Promise<void> {
    const file = this.el.importInput.files?.[0];
    this.el.importInput.value = '';
    if (!file) return;
    try {
      const r = await this.client.importHistory(await file.text());
      this.el.summary.dataset.imported = String(r.units);
      await this.refresh();
      const notes = [
        r.dropped ? `left out ${r.dropped} (too weak, or no room beside your own history)` : '',
        r.capped ? `${r.capped} weights cut to what real use gives` : '',
        r.skipped ? `skipped ${r.skipped} unreadable` : '',
      ].filter(Boolean);
      this.el.summary.textContent += ` Kept ${r.units} entries${notes.length ? `; ${notes.join('; ')}` : ''}.`;
    } catch (error) {
      this.el.summary.textContent = `Could not import ${file.name}: ${describe(error)}`;
    }
  }

  private onStorageEvent(event: WireStoreEvent): void {
    if (event.type === 'synced') {
      this.refreshSoon();
      return;
    }
    const text =
      event.type === 'storage-failed'
        ? `History is not being saved (${FAILURE_TEXT[event.reason] ?? event.reason}): what you pick is learned for this visit only.`
        : `${event.count} unreadable history record(s) were skipped.`;
    this.notices.push(text);
    this.el.notice.textContent = this.notices.join(' ');
    this.el.notice.dataset.kind = event.type;
    this.el.notice.hidden = false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
