import { userInfo } from 'node:os';
import { forgetCustomer } from '../retention/customer-details.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { migrations } from '../store/migrations/index.js';
import { runTool, UsageError } from './run-tool.js';

/** `npm run forget -- --customer NAME`: erase one customer's details on request (safe while the app runs). */
runTool(
  {
    usage:
      'npm run forget -- --customer "NAME" [--by WHO]   (WHO is recorded; default: cli:<your user name>)',
    options: { customer: { type: 'string' }, by: { type: 'string' } },
  },
  (ctx) => {
    const name = typeof ctx.values.customer === 'string' ? ctx.values.customer.trim() : '';
    if (name === '') throw new UsageError('Which customer? Give --customer "NAME" as it was filed.');
    const by = typeof ctx.values.by === 'string' ? ctx.values.by : `cli:${userInfo().username}`;
    const db = openDatabase(ctx.databasePath);
    try {
      migrate(db, migrations, { info: () => undefined });
      const outcome = forgetCustomer(db, { name, now: Date.now(), by });
      ctx.out(
        outcome.found
          ? `Erased the customer's name and the details of ${outcome.items} feedback item(s). Recorded as asked by ${by}, without the name.`
          : `No customer with that name has details stored (matched ignoring case and accents). The request is recorded as asked by ${by}.`,
      );
    } finally {
      db.close();
    }
  },
);
