/**
 * The pending messages that belong to no conversation (a `/kudos` waiting for its Slack look-ups, a Home tab to
 * publish), in the order they are due: each look for work reads only the earliest few of them. Before, the walk
 * over conversations listed every one of them on each look, so a burst of kudos between people never seen
 * (thousands waiting) made every look cost as much as the whole backlog.
 */
export const sql = `
CREATE INDEX outbox_pending_unkeyed ON outbox (next_attempt_at, id)
  WHERE status = 'pending' AND ordering_key IS NULL;
`;
