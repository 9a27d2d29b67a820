/**
 * A node `--import` that makes loading the chart stack (Vega, resvg) fail: a process started with it runs
 * only as long as nothing imports them. They are loaded at the first chart, never at start-up.
 */
const HOOK = `export async function resolve(specifier, context, next) {
  if (/^(vega|@resvg\\/)/.test(specifier)) throw new Error('chart stack loaded: ' + specifier);
  return next(specifier, context);
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOK)}`)});`;

export const NO_CHART_STACK = ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`];
