/** Time as a dependency: services and jobs take a Clock so tests can run "Monday 09:00" without waiting. */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };
