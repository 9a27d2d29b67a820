/**
 * The SLA job asks only for items it has to look at now. `sla_next_at` is when an item's next escalation may be
 * due (its next deadline, or the triage time after one); NULL when nothing is pending (resolved, no SLA for it,
 * every escalation of its current SLA cycle sent). A partial index over it holds only the items being watched,
 * so a minute tick reads the few that are due, not every open item.
 *
 * Deadlines depend on the org config (targets, business hours, time zone): `sla_policy` keeps a fingerprint of
 * the policy the stored times were computed with; when the config's differs, the job marks every open item for
 * a fresh look, a slice of ids at a time (one UPDATE of 100k open items held the event loop for 1.8 s).
 * Open items are marked here too, so the first tick after upgrading looks at each once.
 */
export const sql = `
ALTER TABLE feedback_items ADD COLUMN sla_next_at INTEGER;
UPDATE feedback_items SET sla_next_at = COALESCE(sla_started_at, created_at)
  WHERE status IN ('new', 'acknowledged', 'reopened') AND department_id IS NOT NULL;
CREATE INDEX feedback_items_sla_next ON feedback_items (sla_next_at) WHERE sla_next_at IS NOT NULL;

CREATE TABLE sla_policy (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT NOT NULL,
  -- While a new policy's fresh look is being marked, slice by slice: the last item id marked (NULL: done).
  marked_through INTEGER
);
`;
