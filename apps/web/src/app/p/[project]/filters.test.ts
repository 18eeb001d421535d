// The runs table's logic without a browser: the builder's typed rows to the API's filter language and back,
// the checks a filter's JSON gets before it is sent, API errors in words, the default config columns (the keys
// that differ) and the URL state the workspace reads.
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { type FieldKind, OPS_BY_KIND, opLabel, type Row, toPredicate, toRows } from './filterRows';
import { parseFilter, readableError } from './filterText';
import { readTableState } from './tableState';
import { varyingConfigKeys } from './useColumns';

const kinds: Record<string, FieldKind> = {
  'config.optim.lr': 'number',
  'config.arch': 'string',
  'config.amp': 'boolean',
  'summary.val/loss': 'number',
};
const row = (field: string, op: Row['op'], value = ''): Row => ({ field, op, value });

describe('the filter builder', () => {
  it('offers the operators of the field’s type', () => {
    expect(OPS_BY_KIND.number.map((op) => opLabel('number', op))).toEqual([
      '=',
      '≠',
      '<',
      '≤',
      '>',
      '≥',
      'exists',
      'is missing',
    ]);
    expect(OPS_BY_KIND.string.map((op) => opLabel('string', op))).toEqual([
      'is',
      'is not',
      'contains',
      'exists',
      'is missing',
    ]);
    expect(OPS_BY_KIND.tags.map((op) => opLabel('tags', op))).toEqual(['has', 'lacks']);
    expect(OPS_BY_KIND.state.map((op) => opLabel('state', op))).toEqual(['is', 'is not']);
  });

  it('writes typed predicates: numbers as numbers, contains as an escaped ILIKE, tags and times', () => {
    expect(toPredicate(row('config.optim.lr', 'gte', '1e-3'), 0, kinds)).toEqual({
      field: 'config.optim.lr',
      op: 'GTE',
      value: 0.001,
    });
    expect(toPredicate(row('config.arch', 'contains', '50%_x'), 0, kinds)).toEqual({
      field: 'config.arch',
      op: 'ILIKE',
      value: '%50\\%\\_x%',
    });
    expect(toPredicate(row('config.arch', 'eq', '42'), 0, kinds)).toEqual({
      field: 'config.arch',
      op: 'EQ',
      value: '42',
    });
    expect(toPredicate(row('config.amp', 'ne', 'true'), 0, kinds)).toEqual({
      field: 'config.amp',
      op: 'NE',
      value: true,
    });
    expect(toPredicate(row('tags', 'has', 'keeper'), 0, kinds)).toEqual({
      field: 'tags',
      op: 'CONTAINS',
      value: 'keeper',
    });
    expect(toPredicate(row('tags', 'lacks', 'bad'), 0, kinds)).toEqual({
      field: 'tags',
      op: 'NOT_IN',
      value: ['bad'],
    });
    expect(toPredicate(row('status', 'ne', 'failed'), 0, kinds)).toEqual({
      field: 'status',
      op: 'NE',
      value: 'failed',
    });
    expect(toPredicate(row('createdAt', 'after', '2026-01-31T12:00Z'), 0, kinds)).toEqual({
      field: 'createdAt',
      op: 'GT',
      value: '2026-01-31T12:00:00.000Z',
    });
    expect(toPredicate(row('summary.val/loss', 'missing'), 0, kinds)).toEqual({
      field: 'summary.val/loss',
      op: 'EXISTS',
      value: false,
    });
  });

  it('says what is wrong with a row, naming it', () => {
    expect(toPredicate(row('config.optim.lr', 'gt', 'abc'), 1, kinds)).toBe(
      "row 2: config.optim.lr is a number; 'abc' is not a number",
    );
    expect(toPredicate(row('config.optim.lr', 'gt', ''), 0, kinds)).toBe(
      'row 1: config.optim.lr > needs a value',
    );
    expect(toPredicate(row('', 'eq', 'x'), 2, kinds)).toBe('row 3: choose a field');
    expect(toPredicate(row('lr', 'eq', '1'), 0, kinds)).toMatch(
      /^row 1: unknown field 'lr' \(use name, status, .* config.<path> or summary.<path>\)$/,
    );
    expect(toPredicate(row('status', 'eq', 'done'), 0, kinds)).toMatch(
      /^row 1: 'done' is not a state \(use queued, running/,
    );
    expect(toPredicate(row('config.amp', 'eq', 'yes'), 0, kinds)).toBe(
      "row 1: config.amp is true or false, not 'yes'",
    );
    expect(toPredicate(row('createdAt', 'before', 'soon'), 0, kinds)).toMatch(
      /^row 1: createdAt takes a date or time/,
    );
    expect(toPredicate(row('config.arch', 'lt', 'b'), 0, kinds)).toBe(
      'row 1: < does not apply to config.arch (a string field)',
    );
  });

  it('shows a filter it wrote as rows again, and leaves OR / NOT / IN to the text box', () => {
    const rows = [
      row('config.optim.lr', 'gte', '0.001'),
      row('config.arch', 'contains', '50%'),
      row('tags', 'has', 'keeper'),
      row('tags', 'lacks', 'bad'),
      row('summary.val/loss', 'exists'),
    ];
    const preds = rows.map((r, i) => toPredicate(r, i, kinds));
    expect(toRows({ and: preds as never }, kinds)).toEqual(rows);
    expect(toRows({ or: [] }, kinds)).toBeNull();
    expect(toRows({ field: 'name', op: 'IN', value: ['a', 'b'] }, kinds)).toBeNull();
    expect(toRows(undefined, kinds)).toEqual([]);
  });
});

describe('the filter as JSON', () => {
  it('names the place of an unknown operator or key, before anything is sent', () => {
    expect(parseFilter('{"field": "summary.loss", "op": "GREATER", "value": 1}').error).toMatch(
      /^filter\.op: "GREATER" is not an operator \(use EQ, NE, LT/,
    );
    expect(parseFilter('{"and": [{"field": "name", "op": "EQ", "value": "a"}, {"feild": "x"}]}').error).toBe(
      "filter.and[1]: unknown key 'feild' (use and, or, not, or field, op and value)",
    );
    expect(parseFilter('{"or": {}}').error).toBe('filter.or: expected a list of filters');
    expect(parseFilter('[1]').error).toMatch(/^filter: expected an object/);
    expect(parseFilter('{nope').error).toMatch(/^filter: not JSON/);
    expect(parseFilter('{"not": {"field": "tags", "op": "CONTAINS", "value": "x"}}')).toEqual({
      filter: { not: { field: 'tags', op: 'CONTAINS', value: 'x' } },
    });
    expect(parseFilter('  ')).toEqual({});
  });

  it("turns GraphQL's variable errors into the field and the problem", () => {
    const gqlError = (message: string) => new CombinedError({ graphQLErrors: [{ message }] });
    expect(
      readableError(
        gqlError(
          'Variable "$filter" got invalid value "GREATER" at "filter.and[0].op"; Value "GREATER" does not exist in "FilterOp" enum.',
        ),
      ),
    ).toBe('filter.and[0].op: "GREATER" is not one of the allowed values');
    expect(readableError(gqlError('filter.value: expected a number, got "abc"'))).toBe(
      'filter.value: expected a number, got "abc"',
    );
  });
});

describe('the default columns', () => {
  it('are the config keys that differ, fewest distinct values first', () => {
    const configs = [
      { optim: { lr: 1e-3 }, seed: 1, arch: 'gpt', out: '/a', batch: 32 },
      { optim: { lr: 1e-4 }, seed: 2, arch: 'gpt', out: '/b', batch: 32 },
      { optim: { lr: 1e-2 }, seed: 3, arch: 'lstm', out: '/c', batch: 32, extra: true },
    ];
    expect(varyingConfigKeys(configs)).toEqual([
      'config.extra',
      'config.arch',
      'config.optim.lr',
      'config.out',
      'config.seed',
    ]);
    expect(varyingConfigKeys(configs, 2)).toEqual(['config.extra', 'config.arch']);
    expect(varyingConfigKeys([{ a: 1 }, { a: 1 }])).toEqual([]);
  });
});

describe('the table state in the URL', () => {
  it('reads search, filter, order, grouping (with bins) and selection as the workspace needs them', () => {
    const s = readTableState(
      new URLSearchParams({
        q: 'lr sweep',
        filter: '{"field":"status","op":"EQ","value":"finished"}',
        sort: 'summary.val/loss',
        dir: 'ASC',
        group: 'config.optim.lr',
        sel: 'run_a,run_b',
      }),
    );
    expect(s).toEqual({
      search: 'lr sweep',
      filter: { field: 'status', op: 'EQ', value: 'finished' },
      filterError: undefined,
      sort: 'summary.val/loss',
      dir: 'ASC',
      orderBy: [{ field: 'summary.val/loss', direction: 'ASC' }],
      groupBy: 'config.optim.lr',
      bins: 10,
      selected: ['run_a', 'run_b'],
    });
    expect(readTableState(new URLSearchParams('bins=off')).bins).toBeNull();
    expect(readTableState(new URLSearchParams('bins=5')).bins).toBe(5);
    expect(readTableState(new URLSearchParams('filter=%7B')).filterError).toMatch(/^filter: not JSON/);
    expect(readTableState(new URLSearchParams('')).orderBy).toEqual([
      { field: 'createdAt', direction: 'DESC' },
    ]);
  });
});
