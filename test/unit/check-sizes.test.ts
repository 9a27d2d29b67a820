import { describe, expect, it } from 'vitest';
import { MAX_FUNCTION_LINES, MAX_LISTENER_LINES, measureFile, oversized } from '../../scripts/check-sizes.js';

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('check-sizes', () => {
  it('flags a function over the limit, by its own lines', () => {
    const text = `export function big() {\n${body(MAX_FUNCTION_LINES)}\n}\nfunction small() {\n${body(5)}\n}\n`;
    expect(oversized(measureFile('x.ts', text)).map((m) => m.name)).toEqual(['big']);
  });

  it('does not count the lines of the functions nested in it', () => {
    const inner = (name: string) => `  const ${name} = () => {\n${body(40)}\n  };`;
    const text = `function outer() {\n${inner('a')}\n${inner('b')}\n  return [a, b];\n}\n`;
    const outer = measureFile('x.ts', text).find((m) => m.name === 'outer');
    expect(outer?.own).toBe(3); // its first line, the return and the closing brace
    expect(oversized(measureFile('x.ts', text))).toEqual([]);
  });

  it('holds a Bolt listener callback to the shorter limit', () => {
    const listener = `function register(app) {\n  app.command('/x', async ({ ack }) => {\n${body(MAX_LISTENER_LINES)}\n    await ack();\n  });\n}\n`;
    const over = oversized(measureFile('x.ts', listener));
    expect(over).toHaveLength(1);
    expect(over[0]).toMatchObject({ name: 'app.command(…)', listener: true });
  });
});
