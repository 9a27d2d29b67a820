import { restoreDatabase } from '../store/backup.js';
import { migrations } from '../store/migrations/index.js';
import { runTool, UsageError } from './run-tool.js';

/** `npm run restore -- FILE`: replace the database with a backup; refuses while the app has it open. */
runTool(
  {
    usage: 'npm run restore -- FILE   (stop the app first; DATABASE_PATH is the database replaced)',
    positionals: true,
  },
  async (ctx) => {
    const [file, ...rest] = ctx.positionals;
    if (!file || rest.length > 0) throw new UsageError('Give the backup file to restore.');
    const { replaced, migrations: applied } = await restoreDatabase({
      source: file,
      target: ctx.databasePath,
      known: migrations,
      now: Date.now(),
    });
    ctx.out(`Restored ${file} (${applied} migrations) to ${ctx.databasePath}.`);
    if (replaced)
      ctx.out(`The database it replaced is kept as ${replaced}; delete it once the app runs well.`);
    ctx.out('Start the app: it applies any newer migrations on start.');
  },
);
