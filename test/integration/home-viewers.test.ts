import { join } from 'node:path';
import { expect, it } from 'vitest';
import { homeViewersAmong } from '../../src/kudos/home-viewers.js';
import { setHomePeriod } from '../../src/kudos/repo.js';
import { enqueueOutbox } from '../../src/slack/delivery/outbox-repo.js';
import { openDatabase } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { silentLogger, tempDir } from '../support/temp-dir.js';

it('knows, after the upgrade, who had opened their Home before it: chose a period, or opened it lately', () => {
  const dir = tempDir();
  const db = openDatabase(join(dir.path, 'before.db'));
  try {
    migrate(db, migrationsBefore('intake'), silentLogger);
    setHomePeriod(db, 'U0CHOSE001', 'all', 1_000);
    const publish = (userId: string, trigger: string) =>
      enqueueOutbox(
        db,
        { kind: 'home.publish', payload: { userId }, dedupeKey: `home:${userId}:${trigger}` },
        2_000,
      );
    publish('U0OPENED01', 'opened:Ev0001');
    // Queued for everyone a kudos named, opened or not: not a sign that anyone looked.
    publish('U0THANKED1', 'kudos:7');
    migrate(db, migrations, silentLogger);
    expect(homeViewersAmong(db, ['U0THANKED1', 'U0OPENED01', 'U0CHOSE001', 'U0NOBODY01'])).toEqual([
      'U0OPENED01',
      'U0CHOSE001',
    ]);
  } finally {
    db.close();
    dir.remove();
  }
});
