/** A notification without payload: one side says something happened, the other reacts (no forward references). */
export type Signal = { notify(): void; subscribe(listener: () => void): void };

export function createSignal(): Signal {
  const listeners: (() => void)[] = [];
  return {
    notify: () => {
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.push(listener);
    },
  };
}
