// The trial command's macros, table-driven: each W&B macro, values written as Python's str() writes them (what
// the Python agent passes), and a command item that merely contains a macro left alone.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: W&B's command macros are literal `${…}` strings
import { describe, expect, it } from 'vitest';
import { buildCommand, pyJson, pyStr } from './macros.ts';

const ctx = { jsonFile: '/tmp/p.json', interpreter: 'python3', env: ['/usr/bin/env'] };
const params = { lr: 0.001, layers: [64, 64], amp: true, opt: 'adam', wd: 1e-5 };

describe('buildCommand', () => {
  const cases: [string, unknown[] | null, string | null, string[]][] = [
    [
      'the default command',
      null,
      'train.py',
      [
        '/usr/bin/env',
        'python3',
        'train.py',
        '--lr=0.001',
        '--layers=[64, 64]',
        '--amp=True',
        '--opt=adam',
        '--wd=1e-05',
      ],
    ],
    [
      '${args_no_hyphens} and a literal flag',
      ['${interpreter}', '${program}', '${args_no_hyphens}', '--steps=60'],
      'train.py',
      [
        'python3',
        'train.py',
        'lr=0.001',
        'layers=[64, 64]',
        'amp=True',
        'opt=adam',
        'wd=1e-05',
        '--steps=60',
      ],
    ],
    [
      '${args_json} as Python json.dumps writes it',
      ['node', 'train.js', '${args_json}'],
      null,
      ['node', 'train.js', '{"lr": 0.001, "layers": [64, 64], "amp": true, "opt": "adam", "wd": 1e-05}'],
    ],
    ['${args_json_file}', ['./run.sh', '${args_json_file}'], null, ['./run.sh', '/tmp/p.json']],
    ['no program: ${program} is nothing', ['${env}', 'make', '${program}'], null, ['/usr/bin/env', 'make']],
    [
      'an item that only contains a macro, and an unknown macro, pass as they are',
      ['x${args}', '${nope}', '${program}'],
      'p.py',
      ['x${args}', '${nope}', 'p.py'],
    ],
  ];
  for (const [name, command, program, want] of cases)
    it(name, () => expect(buildCommand(command, program, params, ctx)).toEqual(want));
});

describe('values as Python writes them', () => {
  const cases: [unknown, string, string][] = [
    [1, '1', '1'],
    [0.5, '0.5', '0.5'],
    [1e-4, '0.0001', '0.0001'],
    [3e-7, '3e-07', '3e-07'],
    [1e21, '1e+21', '1e+21'],
    [false, 'False', 'false'],
    [null, 'None', 'null'],
    ["it's", "it's", '"it\'s"'],
    [['a', 1.5], "['a', 1.5]", '["a", 1.5]'],
    [{ k: 'é' }, "{'k': 'é'}", '{"k": "\\u00e9"}'],
  ];
  for (const [v, str, json] of cases)
    it(`${JSON.stringify(v)} → ${str} / ${json}`, () => {
      expect(pyStr(v)).toBe(str);
      expect(pyJson(v)).toBe(json);
    });
});
