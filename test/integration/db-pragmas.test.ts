import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/store/db.js';
import { tempDir } from '../support/temp-dir.js';

let db: Db | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  db?.close();
  dir?.remove();
});

describe('openDatabase', () => {
  it('keeps temporary storage (statement journals, sort tables) in memory, not in temp files', () => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'app.db'));
    // 2 = MEMORY (0 would be the build's default: temp files).
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
  });
});
