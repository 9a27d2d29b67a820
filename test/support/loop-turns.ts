/**
 * Counts the event loop's turns (a setImmediate chain) until stopped, so a test can tell whether two pieces of
 * work ran in the same turn (one slice) or in different ones (the loop was given back between them).
 */
export function countLoopTurns(): { now(): number; stop(): void } {
  let turn = 0;
  let turning = true;
  const next = () => {
    turn++;
    if (turning) setImmediate(next);
  };
  setImmediate(next);
  return {
    now: () => turn,
    stop: () => {
      turning = false;
    },
  };
}
