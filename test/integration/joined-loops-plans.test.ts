import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  findCustomerPraiseByCard,
  customerPraiseReceived as homePraise,
  listCustomerPraiseRecipients,
} from '../../src/kudos/customer-praise-repo.js';
import { findKudosByPost } from '../../src/kudos/repo.js';
import { getPraiseCard, listPraised } from '../../src/loops/praise-repo.js';
import { customerPraiseLists } from '../../src/metrics/numbers.js';
import { queryPlanOf, statementsOf } from '../support/statements.js';
import { tempDatabase } from '../support/temp-dir.js';

/**
 * Every read the joined loops add (issue 18) is an index search, so the +1 reaction, the App Home, the digest
 * and the praise deliveries stay under 50 ms with a year of items and kudos: no query reads a whole table.
 */
let store: ReturnType<typeof tempDatabase>;
beforeEach(() => {
  store = tempDatabase();
});
afterEach(() => store.remove());

const planOfCall = (run: () => void): string => {
  const [sql, ...more] = [...new Set(statementsOf(store.db, run))];
  expect(sql).toBeDefined();
  return [sql, ...more].map((s) => queryPlanOf(store.db, s ?? '').join(' | ')).join('\n');
};

it('finds the kudos or the praise card behind a reacted post through their post indexes', () => {
  const plan = planOfCall(() => findKudosByPost(store.db, 'C0KUDOS001', '1700000000.000100'));
  expect(plan).toMatch(/SEARCH k USING INDEX kudos_post \(post_ts=\? AND post_channel_id=\?\)/);
  expect(plan).not.toMatch(/SCAN k\b/);
  const card = planOfCall(() => findCustomerPraiseByCard(store.db, 'C0KUDOS001', '1700000000.000100'));
  expect(card).toMatch(
    /USING (COVERING )?INDEX customer_praise_cards_post \(post_ts=\? AND post_channel_id=\?\)/,
  );
  expect(card).not.toMatch(/^SCAN|\| SCAN|\nSCAN/);
});

it('reads customer praise for the Home, the digest and the deliveries from indexes only', () => {
  const plans = [
    planOfCall(() => homePraise(store.db, 'U0LI000001', 0)),
    planOfCall(() => customerPraiseLists(store.db, { start: 0, end: 1 })),
    planOfCall(() => listCustomerPraiseRecipients(store.db, 1)),
    planOfCall(() => listPraised(store.db, 1)),
    planOfCall(() => getPraiseCard(store.db, 1)),
  ];
  for (const plan of plans) expect(plan).not.toMatch(/^SCAN|\| SCAN|\nSCAN/);
  expect(plans[0]).toContain('USING INDEX customer_praise_recipient');
  expect(plans[1]).toContain('USING COVERING INDEX customer_praise_created');
});
