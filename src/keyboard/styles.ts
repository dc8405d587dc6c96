/**
 * The keyboard's stylesheet. It lives inside the widget's shadow root, so nothing leaks into
 * the page and the page's rules don't reach in; pages theme it through the custom properties
 * below, which inherit through the shadow boundary:
 *
 * | property                   | what                                   |
 * | -------------------------- | -------------------------------------- |
 * | `--hanzi-ime-bg`           | panel background                       |
 * | `--hanzi-ime-fg`           | candidate text                         |
 * | `--hanzi-ime-muted`        | preedit, numbers, page indicator       |
 * | `--hanzi-ime-accent`       | highlighted candidate background       |
 * | `--hanzi-ime-accent-fg`    | highlighted candidate text             |
 * | `--hanzi-ime-border`       | panel border                           |
 * | `--hanzi-ime-radius`       | corner radius                          |
 * | `--hanzi-ime-shadow`       | floating panel shadow                  |
 * | `--hanzi-ime-font`         | font family                            |
 * | `--hanzi-ime-font-size`    | candidate font size                    |
 * | `--hanzi-ime-key-bg`       | on-screen key background               |
 * | `--hanzi-ime-keyboard-bg`  | on-screen keyboard background          |
 * | `--hanzi-ime-z-index`      | stacking order of the panel            |
 */
export const KEYBOARD_CSS = `
:host {
  all: initial;
  --_bg: var(--hanzi-ime-bg, #ffffff);
  --_fg: var(--hanzi-ime-fg, #1f2328);
  --_muted: var(--hanzi-ime-muted, #59636e);
  --_accent: var(--hanzi-ime-accent, #0969da);
  --_accent-fg: var(--hanzi-ime-accent-fg, #ffffff);
  --_border: var(--hanzi-ime-border, #d1d9e0);
  --_radius: var(--hanzi-ime-radius, 8px);
  --_shadow: var(--hanzi-ime-shadow, 0 6px 20px rgba(31, 35, 40, 0.18));
  --_font: var(--hanzi-ime-font, system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif);
  --_size: var(--hanzi-ime-font-size, 18px);
  --_key-bg: var(--hanzi-ime-key-bg, #ffffff);
  --_kbd-bg: var(--hanzi-ime-keyboard-bg, #e6e9ed);
}
@media (prefers-color-scheme: dark) {
  :host {
    --_bg: var(--hanzi-ime-bg, #262c36);
    --_fg: var(--hanzi-ime-fg, #e6edf3);
    --_muted: var(--hanzi-ime-muted, #9198a1);
    --_accent: var(--hanzi-ime-accent, #2f81f7);
    --_border: var(--hanzi-ime-border, #3d444d);
    --_key-bg: var(--hanzi-ime-key-bg, #3d444d);
    --_kbd-bg: var(--hanzi-ime-keyboard-bg, #151b23);
  }
}
.panel {
  position: fixed;
  z-index: var(--hanzi-ime-z-index, 2147483000);
  box-sizing: border-box;
  font-family: var(--_font);
  color: var(--_fg);
  line-height: 1.3;
  -webkit-user-select: none;
  user-select: none;
  -webkit-tap-highlight-color: transparent;
}
.panel[hidden], .bar[hidden], .keys[hidden], .preedit[hidden] { display: none; }
.bar {
  box-sizing: border-box;
  background: var(--_bg);
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  box-shadow: var(--_shadow);
  padding: 4px 6px 5px;
  min-width: 12em;
  max-width: min(94vw, 44em);
}
.preedit {
  font-size: calc(var(--_size) * 0.78);
  color: var(--_muted);
  padding: 0 6px 3px;
  margin-bottom: 3px;
  border-bottom: 1px solid var(--_border);
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.preedit .caret {
  display: inline-block;
  width: 0;
  height: 1.1em;
  margin: 0 -1px 0 0;
  border-left: 1.5px solid var(--_accent);
  vertical-align: text-bottom;
}
.row { display: flex; align-items: center; gap: 4px; }
.list {
  display: flex;
  flex: 1 1 auto;
  flex-wrap: wrap;
  gap: 2px;
  margin: 0;
  padding: 0;
  min-width: 0;
  overflow: hidden;
  outline: none;
}
.option {
  display: inline-flex;
  align-items: baseline;
  gap: 4px;
  padding: 3px 8px;
  border-radius: calc(var(--_radius) - 3px);
  font-size: var(--_size);
  white-space: nowrap;
  cursor: pointer;
}
.option[hidden] { display: none; }
.option .num { font-size: 0.66em; color: var(--_muted); font-variant-numeric: tabular-nums; }
.option:hover { background: color-mix(in srgb, var(--_accent) 12%, transparent); }
.option[aria-selected="true"] { background: var(--_accent); color: var(--_accent-fg); }
.option[aria-selected="true"] .num { color: inherit; opacity: 0.85; }
.pager { display: flex; align-items: center; gap: 2px; flex: none; color: var(--_muted); font-size: 0.8em; }
.pager button {
  all: unset;
  box-sizing: border-box;
  width: 1.6em;
  height: 1.6em;
  border-radius: 4px;
  text-align: center;
  line-height: 1.6em;
  cursor: pointer;
  color: var(--_muted);
  font-size: var(--_size);
}
.pager button:hover { background: color-mix(in srgb, var(--_accent) 12%, transparent); }
.pager button[aria-disabled="true"] { opacity: 0.3; cursor: default; }
.empty .list, .empty .pager { display: none; }
.docked { left: 0; right: 0; bottom: 0; }
.docked .bar { border-radius: 0; border-width: 1px 0 0; box-shadow: none; max-width: none; min-height: 2.6em; }
.keys {
  background: var(--_kbd-bg);
  padding: 6px 3px 8px;
  display: grid;
  gap: 6px;
  touch-action: manipulation;
}
.krow { display: flex; justify-content: center; gap: 5px; }
.key {
  all: unset;
  box-sizing: border-box;
  flex: 1 1 0;
  max-width: 3.4em;
  min-height: 2.7em;
  border-radius: 6px;
  background: var(--_key-bg);
  color: var(--_fg);
  box-shadow: 0 1px 0 rgba(0, 0, 0, 0.3);
  font-family: var(--_font);
  font-size: calc(var(--_size) * 0.95);
  display: flex;
  align-items: center;
  justify-content: center;
  cursor: pointer;
}
.key:active { background: var(--_accent); color: var(--_accent-fg); }
.key.wide { flex-grow: 1.5; max-width: 5.2em; font-size: calc(var(--_size) * 0.8); }
.key.space { flex-grow: 5; max-width: none; }
/* Docked (phones): one row of candidates that scrolls sideways, at most 120 px with the
   preedit; ▾ shows every candidate as a grid in the on-screen keyboard's place. */
.row .expand {
  all: unset;
  display: none;
  box-sizing: border-box;
  flex: none;
  width: 2.2em;
  height: 2.2em;
  border-radius: 6px;
  text-align: center;
  line-height: 2.2em;
  color: var(--_muted);
  font-size: var(--_size);
  cursor: pointer;
}
.docked .row .expand { display: block; }
.docked .empty .row .expand { display: none; }
.docked .pager { display: none; }
.docked .bar { max-height: 120px; overflow: hidden; padding-bottom: 3px; }
.docked .list {
  flex-wrap: nowrap;
  overflow-x: auto;
  overflow-y: hidden;
  overscroll-behavior: contain;
  scrollbar-width: none;
  -webkit-overflow-scrolling: touch;
}
.docked .list::-webkit-scrollbar { display: none; }
.docked .option { padding: 7px 10px; flex: none; }
.docked .option .num { display: none; }
.docked.expanded .bar { max-height: none; }
.docked.expanded .list {
  flex-wrap: wrap;
  overflow-x: hidden;
  overflow-y: auto;
  max-height: min(260px, 45vh);
  align-content: flex-start;
}
.docked.expanded .keys { display: none; }
.layer-keys { display: grid; gap: 6px; }
.layer-keys[hidden] { display: none; }
.key.shift[aria-pressed="true"] { background: var(--_accent); color: var(--_accent-fg); }
.live {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
  border: 0;
}
`;
