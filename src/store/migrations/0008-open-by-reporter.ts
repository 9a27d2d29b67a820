/**
 * The App Home lists and counts the open items each person filed: a partial index keeps that to the person's
 * open items, however many they filed over the years.
 */
export const sql = `
CREATE INDEX feedback_items_reporter_open ON feedback_items (reporter_id, created_at) WHERE status <> 'resolved';
`;
