'use client';
// A YAML (or JSON) editor for run and sweep configs: CodeMirror 6 with YAML highlighting and inline markers.
// Markers come from two places: YAML syntax errors, found here as the user types, and the API's issues
// (`validateConfig`), each a dotted path that `locate` maps back to the key it names in the text.
import { yaml } from '@codemirror/lang-yaml';
import { syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { isMap, isScalar, type Node, parseDocument } from 'yaml';

export interface ConfigIssue {
  path: string;
  message: string;
  severity: string;
}

/**
 * The text range of the key that a dotted path names. Keys may themselves contain dots (a sweep's
 * `optim.lr`), so at each level the longest key matching the path's next segments wins. Where the path leaves
 * the document (a missing key), the deepest key on the way is returned; the document's start if none.
 */
export function locate(text: string, path: string): [number, number] {
  const doc = parseDocument(text);
  let node: Node | null = doc.contents as Node | null;
  let range: [number, number] = [0, Math.min(text.indexOf('\n') >>> 0, text.length)];
  let rest = path ? path.split('.') : [];
  while (rest.length && node && isMap(node)) {
    let next: Node | null = null;
    for (let n = rest.length; n > 0 && !next; n--) {
      const want = rest.slice(0, n).join('.');
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === want);
      if (!pair) continue;
      const key = pair.key as Node;
      if (key.range) range = [key.range[0], key.range[1]];
      next = (pair.value as Node | null) ?? null;
      rest = rest.slice(n);
      if (!next) rest = [];
    }
    if (!next) break;
    node = next;
  }
  return range;
}

export function diagnostics(text: string, issues: ConfigIssue[]): Diagnostic[] {
  const doc = parseDocument(text);
  const syntax = doc.errors.map((e) => ({
    from: Math.min(e.pos[0], text.length),
    to: Math.min(Math.max(e.pos[1], e.pos[0] + 1), text.length),
    severity: 'error' as const,
    message: e.message.split('\n')[0],
  }));
  if (syntax.length) return syntax; // paths mean nothing in a document that does not parse
  return issues.map((i) => {
    const [from, to] = locate(text, i.path);
    return {
      from,
      to,
      severity: i.severity === 'warning' ? ('warning' as const) : ('error' as const),
      message: i.path ? `${i.path}: ${i.message}` : i.message,
    };
  });
}

export function ConfigEditor({
  name,
  value,
  onChange,
  issues,
  minHeight = 220,
  label,
}: {
  name: string;
  value: string;
  onChange: (text: string) => void;
  issues: ConfigIssue[];
  minHeight?: number;
  /** What screen readers call it (default: its name). */
  label?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      doc: value,
      extensions: [
        basicSetup,
        yaml(),
        // Tokens get stable classes (tok-*) that globals.css colours from the palette, light or dark (the
        // default highlight style's colours assume a light page).
        syntaxHighlighting(classHighlighter),
        lintGutter(),
        // Colours follow the page (light or dark); CodeMirror's default theme assumes light.
        EditorView.theme({
          '&': { minHeight: `${minHeight}px`, backgroundColor: 'transparent', color: 'inherit' },
          '.cm-scroller': { fontFamily: 'monospace' },
          '.cm-gutters': { backgroundColor: 'transparent', color: 'inherit', opacity: 0.7 },
          '.cm-activeLine, .cm-activeLineGutter': {
            backgroundColor: 'color-mix(in srgb, currentColor 6%, transparent)',
          },
        }),
        // The editing area is the scrolling region's focusable content (axe: scrollable-region-focusable).
        EditorView.contentAttributes.of({ 'aria-label': label ?? name, 'data-name': name, tabindex: '0' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) changed.current(u.state.doc.toString());
        }),
      ],
    });
    view.current = v;
    return () => v.destroy();
  }, []);

  // Text set from outside (a form field, a prefilled config) replaces the document.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics(v.state.doc.toString(), issues)));
  }, [issues, value]);

  return <div ref={host} className="config-editor" data-testid={`editor-${name}`} />;
}
