/**
 * Thrown by a delivery handler whose work must wait for an earlier delivery (a department post, a kudos post):
 * the outbox retries it later, like any transient failure.
 */
export class NotYetPostedError extends Error {
  readonly code = 'not_yet_posted';
}
