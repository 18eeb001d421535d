'use client';
// Light and dark. With no choice made the dashboard follows the OS (`prefers-color-scheme`); the toggle in the
// header pins light or dark, remembered in localStorage and applied before the first paint (THEME_SCRIPT in the
// root layout) as <html data-theme>. globals.css defines both palettes as CSS variables; canvas charts (uPlot)
// read them with chartColours() and redraw when the theme changes (useResolvedTheme).
import { useEffect, useState, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const KEY = 'anneal-theme';

/** Runs in <head> before paint: the remembered choice, if any, as data-theme (no flash of the other palette). */
export const THEME_SCRIPT = `try{var t=localStorage.getItem('${KEY}');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;

const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function resolved(): Theme {
  const pinned = document.documentElement.dataset.theme;
  if (pinned === 'light' || pinned === 'dark') return pinned;
  return media().matches ? 'dark' : 'light';
}

function subscribe(onChange: () => void) {
  const m = media();
  m.addEventListener('change', onChange);
  const o = new MutationObserver(onChange);
  o.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    m.removeEventListener('change', onChange);
    o.disconnect();
  };
}

/** The theme in effect (the pinned one, else the OS's); 'light' while rendering on the server. */
export function useResolvedTheme(): Theme {
  return useSyncExternalStore(subscribe, resolved, () => 'light');
}

/** The palette's colours for canvas drawing (uPlot axes, grid), read from globals.css's variables. */
export function chartColours(): { fg: string; muted: string; line: string } {
  const s = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return { fg: v('--fg', '#16181d'), muted: v('--muted', '#6b7280'), line: v('--line', '#e5e7eb') };
}

/** uPlot axis options in the current palette (labels in the text colour, grid and ticks in the line colour). */
export function themedAxis() {
  const c = chartColours();
  return { stroke: c.fg, grid: { stroke: c.line, width: 1 }, ticks: { stroke: c.line, width: 1 } };
}

/** The header's switch: shows the theme in effect and pins the other one. */
export function ThemeToggle() {
  const theme = useResolvedTheme();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  // A toggle button named by its visible text ("Dark mode"), pressed while dark is in effect.
  return (
    <button
      type="button"
      className="theme-toggle"
      data-testid="theme-toggle"
      aria-pressed={mounted ? theme === 'dark' : undefined}
      title={`Switch to ${next} mode`}
      onClick={() => {
        document.documentElement.dataset.theme = next;
        try {
          localStorage.setItem(KEY, next);
        } catch {
          // storage refused (private mode): the choice lasts for this page
        }
      }}
    >
      <span aria-hidden="true">{mounted && theme === 'dark' ? '☾' : '☀'}</span> Dark mode
    </button>
  );
}
