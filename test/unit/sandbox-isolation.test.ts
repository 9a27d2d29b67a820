import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The sandbox signs requests as anyone, so production must never load it: nothing `npm start` runs
 * (src/main.ts and everything it imports) reaches src/sandbox/, and the production build leaves it out.
 * And code under src/ never imports from test/.
 */

const SANDBOX = resolve('src/sandbox');

/** Relative imports of a source file (static, re-exports and dynamic), resolved to .ts files. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'([^']+)'/g),
    ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g),
    ...text.matchAll(/^import\s+'([^']+)'/gm),
  ].map((m) => m[1] ?? '');
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((path) => existsSync(path));
}

function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...importsOf(file));
  }
  return seen;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the sandbox stays out of production', () => {
  it('is not reachable from src/main.ts', () => {
    const reached = reachableFrom('src/main.ts');
    expect(reached.size).toBeGreaterThan(40);
    expect(reached).toContain(resolve('src/courtesy-loop.ts'));
    expect([...reached].filter((f) => f.startsWith(SANDBOX)).map((f) => relative('.', f))).toEqual([]);
  });

  it('is left out of the production build', () => {
    const build = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as { exclude?: string[] };
    expect(build.exclude).toContain('src/sandbox');
  });

  it('reaches the app through the same composition root as production', () => {
    expect(reachableFrom('src/sandbox/main.ts')).toContain(resolve('src/courtesy-loop.ts'));
  });

  it('src/ never imports from test/', () => {
    const offenders = filesUnder('src')
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => importsOf(f).some((target) => target.startsWith(resolve('test'))));
    expect(offenders).toEqual([]);
  });
});
