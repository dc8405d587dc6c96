import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../scripts/lib/node-engine.ts';

function runBatch(input: string, args: string[] = []): string[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/batch.ts', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status).toBe(0);
  return r.stdout.split('\n').slice(0, -1);
}

const HOSTILE = [
  'nihao',
  '',
  "''''",
  'nǐhǎo',
  '12345',
  '😀😀',
  'a\tb',
  'x'.repeat(5000),
  'zhongguo',
  '\u0000\u0007',
  'ni hao ma',
  'NIHAO',
];

describe('batch CLI', () => {
  it('clean CLI errors: --learn-from with a missing file prints one line, exits non-zero, no stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/batch.ts', '--learn-from', 'no/such/file.tsv'], {
      cwd: ROOT,
      input: 'nihao\n',
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('batch: --learn-from no/such/file.tsv: no such file\n');
  });

  it('answers every line with exactly one line of six fields', () => {
    const lines = runBatch(HOSTILE.join('\n') + '\n');
    expect(lines).toHaveLength(HOSTILE.length);
    for (const l of lines) {
      const f = l.split('\t');
      expect(f).toHaveLength(6);
      expect(Number.isInteger(Number(f[5]))).toBe(true);
    }
    expect(lines[0]!.split('\t')[0]).toBe('你好');
    expect(lines[3]!.split('\t')[0]).toBe('你好');
    expect(lines[8]!.split('\t')[0]).toBe('中国');
    expect(lines[11]!.split('\t')[0]).toBe('你好');
    expect(lines[1]).toBe('\t\t\t\t\t' + lines[1]!.split('\t')[5]);
  });

  it('with --incremental ends each line with mean and max microseconds per key', () => {
    const lines = runBatch('nihao\nwoaibeijingtiananmen\n\n', ['--incremental']);
    expect(lines).toHaveLength(3);
    const f = lines[1]!.split('\t');
    expect(f).toHaveLength(7);
    expect(f[0]).toBe('我爱北京天安门');
    expect(Number(f[6])).toBeGreaterThanOrEqual(Number(f[5]));
  });

  it('gives up to five distinct whole-input candidates', () => {
    const [line] = runBatch('shijian\n');
    const c = line!.split('\t').slice(0, 5).filter(Boolean);
    expect(c.length).toBe(5);
    expect(new Set(c).size).toBe(5);
  });
});
