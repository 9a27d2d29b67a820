import { backupDatabase } from '../store/backup.js';
import { runTool, UsageError } from './run-tool.js';

/** `npm run backup -- FILE`: a consistent copy of the database, taken while the app runs. */
runTool(
  { usage: 'npm run backup -- FILE   (a new file; DATABASE_PATH is the database)', positionals: true },
  async (ctx) => {
    const [file, ...rest] = ctx.positionals;
    if (!file || rest.length > 0) throw new UsageError('Give one file to write the backup to.');
    const pages = await backupDatabase(ctx.databasePath, file);
    ctx.out(
      `Backed up ${ctx.databasePath} to ${file} (${pages} pages). Restore it with: npm run restore -- ${file}`,
    );
  },
);
