// axe-core in the browser tests: its source injected into the page (playwright-core), run over the whole
// document, and the violations that matter (serious, critical) listed with where they are.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string;
  help: string;
  /** CSS selectors of up to 5 offending nodes. */
  nodes: string[];
}

/** axe's violations of `impacts` on the page as it is now. */
export async function axeViolations(page: Page, impacts = ['serious', 'critical']): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const found = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected above
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    // biome-ignore lint/suspicious/noExplicitAny: axe's result shape
    return r.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      // biome-ignore lint/suspicious/noExplicitAny: axe's node shape
      nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')),
    }));
  });
  return (found as Violation[]).filter((v) => impacts.includes(v.impact));
}

/** Fails, naming each rule and node, when axe finds a serious or critical violation on the page. */
export async function expectNoSeriousViolations(page: Page, where = page.url()) {
  expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
}
