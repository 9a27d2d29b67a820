import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogSink } from '../../src/log-sink.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The log sink gathers lines into fewer writes (a write per line cost 4-7% of the app's time under load), so a
 * line may wait in memory: it must still reach the file on its own, without a flush and without more lines
 * coming after it, and `flush` must write out whatever is gathered.
 */

let dir: ReturnType<typeof tempDir>;
let fd: number;
let file: string;
beforeEach(() => {
  dir = tempDir();
  file = join(dir.path, 'app.log');
  fd = openSync(file, 'w');
});
afterEach(() => {
  closeSync(fd);
  dir.remove();
});

const logged = () => readFileSync(file, 'utf8');

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('the log sink', () => {
  it('writes a lone line out without a flush and without more lines after it', async () => {
    const sink = createLogSink({ fd });
    sink.write('{"msg":"feedback stored"}\n');
    await until(() => logged().length > 0);
    expect(logged()).toBe('{"msg":"feedback stored"}\n');
  });

  it('keeps writing lines that come while a write is under way', async () => {
    const sink = createLogSink({ fd });
    const lines = Array.from({ length: 300 }, (_, i) => `{"n":${i}}\n`);
    for (const line of lines) sink.write(line);
    await until(() => logged().length === lines.join('').length);
    expect(logged()).toBe(lines.join(''));
  });

  it('writes everything gathered when flushed', async () => {
    const sink = createLogSink({ fd });
    sink.write('{"msg":"one"}\n');
    sink.write('{"msg":"two"}\n');
    expect(await sink.flush(5000)).toBe(true);
    expect(logged()).toBe('{"msg":"one"}\n{"msg":"two"}\n');
  });
});
