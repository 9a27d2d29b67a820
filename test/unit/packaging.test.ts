import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { ValidationSeverity, validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const dockerfile = read('Dockerfile');
/** `npm start` as package.json has it (`node <node options> dist/main.js`): every other way to run it matches. */
const start = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start;

/** The Dockerfile's instructions (continuation lines joined, comments dropped), grouped by build stage. */
function stages(text: string): { name: string; lines: string[] }[] {
  const joined = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const result: { name: string; lines: string[] }[] = [];
  for (const line of joined.split('\n').map((l) => l.trim().replace(/\s+/g, ' '))) {
    if (line === '') continue;
    const from = /^FROM \S+(?: AS (\S+))?$/i.exec(line);
    if (from) result.push({ name: from[1] ?? '', lines: [] });
    result.at(-1)?.lines.push(line);
  }
  return result;
}

describe('Dockerfile', () => {
  it('passes the Dockerfile linter with every rule as an error', () => {
    const all = ValidationSeverity.ERROR;
    const problems = validate(dockerfile, {
      deprecatedMaintainer: all,
      directiveCasing: all,
      emptyContinuationLine: all,
      instructionCasing: all,
      instructionCmdMultiple: all,
      instructionEntrypointMultiple: all,
      instructionHealthcheckMultiple: all,
      instructionJSONInSingleQuotes: all,
      instructionWorkdirRelative: all,
    });
    expect(problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  it('builds with dev dependencies and runs dist/ with production dependencies only, as a non-root user', () => {
    const all = stages(dockerfile);
    const byName = (name: string) => all.find((s) => s.name === name)?.lines ?? [];
    expect(byName('build')).toContain('RUN npm ci --no-audit --no-fund');
    expect(byName('build')).toContain('RUN npm run build');
    expect(byName('production-deps').join('\n')).toContain('npm ci --omit=dev');
    const runtime = all.at(-1)?.lines ?? [];
    expect(runtime).toContain('COPY --from=production-deps /app/node_modules ./node_modules');
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime.filter((l) => l.startsWith('COPY --from=build'))).toHaveLength(1);
    expect(runtime).toContain('USER node');
    expect(runtime.at(-1)).toBe(`CMD ${JSON.stringify(start.split(' '))}`.replaceAll(',', ', '));
    expect(start).toMatch(/^node (--[a-z0-9-]+=\d+ )+dist\/main\.js$/);
  });

  it('keeps the database on a volume and checks /healthz with node (the slim image has no curl)', () => {
    const runtime = stages(dockerfile).at(-1)?.lines ?? [];
    const env = runtime.find((l) => l.startsWith('ENV ')) ?? '';
    const databasePath = /DATABASE_PATH=(\S+)/.exec(env)?.[1] ?? '';
    expect(runtime).toContain(`VOLUME ["${posix.dirname(databasePath)}"]`);
    const health = runtime.find((l) => l.startsWith('HEALTHCHECK')) ?? '';
    expect(health).toContain('CMD ["node", "-e"');
    expect(health).toContain('/healthz');
    expect(health).not.toMatch(/curl|wget/);
  });

  it('leaves secrets, databases and node_modules out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', 'node_modules', 'data/*.db', 'data/*.db-*', 'data/org.yaml', '.git'])
      expect(ignored).toContain(entry);
  });
});

describe('compose.yaml', () => {
  it('runs the image in Socket Mode with the database on a named volume and the port on this host only', () => {
    const compose = parse(read('compose.yaml')) as {
      services: Record<string, Record<string, unknown>>;
      volumes: Record<string, unknown>;
    };
    const app = compose.services['courtesy-loop'] as {
      env_file: string;
      environment: Record<string, string>;
      volumes: string[];
      ports: string[];
    };
    expect(app.env_file).toBe('.env');
    expect(app.environment.SLACK_SIGNING_SECRET).toBeUndefined();
    const dataDir = posix.dirname(app.environment.DATABASE_PATH ?? '');
    expect(app.volumes).toContain(`courtesy-loop-data:${dataDir}`);
    expect(Object.keys(compose.volumes)).toContain('courtesy-loop-data');
    expect(app.ports.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
    expect(read('compose.yaml')).toContain('SLACK_APP_TOKEN');
  });
});

const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('deploy/courtesy-loop.service', () => {
  it('runs node dist/main.js as npm start does, with a restart policy and hardening', () => {
    const unit = read('deploy/courtesy-loop.service');
    expect(unit).toContain(`\nExecStart=${start}\n`);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    for (const option of [
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'PrivateTmp=yes',
      'CapabilityBoundingSet=',
    ])
      expect(unit).toMatch(new RegExp(`^${option}$`, 'm'));
  });

  it.skipIf(!hasSystemd && process.env.CI !== 'true')(
    'passes systemd-analyze verify without a warning (apt-get install systemd)',
    () => {
      const run = spawnSync('systemd-analyze', ['verify', '--man=no', 'deploy/courtesy-loop.service'], {
        encoding: 'utf8',
      });
      expect(run.error).toBeUndefined();
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    },
  );
});
