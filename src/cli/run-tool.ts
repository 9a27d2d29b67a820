import { type ParseArgsConfig, parseArgs } from 'node:util';
import { loadDotEnvFile, loadToolEnv } from '../config/env.js';

/**
 * The operator tools' shared frame: read `.env` and the database path (no Slack tokens needed), parse the
 * arguments, run, print the outcome or the problem, and set the exit code (0 done, 1 refused or failed, 2 usage).
 */
export class UsageError extends Error {}

export type ToolContext = {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  databasePath: string;
  out: (line: string) => void;
};

export function runTool(
  spec: { usage: string; options?: ParseArgsConfig['options']; positionals?: boolean },
  run: (ctx: ToolContext) => Promise<void> | void,
): void {
  const main = async (): Promise<number> => {
    loadDotEnvFile();
    const { databasePath } = loadToolEnv();
    let parsed: { values: ToolContext['values']; positionals: string[] };
    try {
      parsed = parseArgs({
        args: process.argv.slice(2),
        options: spec.options ?? {},
        allowPositionals: spec.positionals ?? false,
        strict: true,
      }) as typeof parsed;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    await run({ ...parsed, databasePath, out: (line) => process.stdout.write(`${line}\n`) });
    return 0;
  };
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\nUsage: ${spec.usage}\n`);
        process.exitCode = 2;
        return;
      }
      const coded = typeof (error as { code?: unknown }).code === 'string';
      process.stderr.write(`${coded || error instanceof Error ? (error as Error).message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
