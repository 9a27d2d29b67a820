/**
 * `npm test` runs this: no function in src/ over MAX_FUNCTION_LINES lines of its own, and no listener callback
 * (the function given to `app.command`, `app.action`, `app.view`, `app.shortcut`, `app.event`, ...) over
 * MAX_LISTENER_LINES. "Its own" lines are the function's lines minus those of the functions nested in it, so a
 * constructor that returns small closures is measured by its own glue. There is no allowlist: split the function.
 *
 * `--report` prints the largest files and functions instead of failing (the numbers quoted in reviews).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const MAX_FUNCTION_LINES = 60;
export const MAX_LISTENER_LINES = 30;
const LISTENER_METHODS = new Set(['command', 'action', 'view', 'shortcut', 'event', 'options', 'message']);

export type Measured = { file: string; name: string; line: number; own: number; listener: boolean };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** `app.command(...)`, `app.action(...)`: a Bolt registration whose last argument is this function. */
function isListenerCallback(node: ts.Node): boolean {
  const call = node.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments.at(-1) !== node) return false;
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    LISTENER_METHODS.has(callee.name.text) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'app'
  );
}

function nameOf(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  if (ts.isCallExpression(parent)) return `${parent.expression.getText(source)}(…)`;
  return '(anonymous)';
}

function linesOf(node: ts.Node, source: ts.SourceFile): number {
  const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
  return end - start + 1;
}

/** Every function in one file with the lines that are its own (nested functions' lines subtracted). */
export function measureFile(path: string, text: string): Measured[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: Measured[] = [];
  const visit = (node: ts.Node): number => {
    let nested = 0;
    const walk = (child: ts.Node) => {
      nested += visit(child);
    };
    if (!isFunction(node)) {
      ts.forEachChild(node, walk);
      return nested;
    }
    ts.forEachChild(node, walk);
    const total = linesOf(node, source);
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({
      file: path,
      name: nameOf(node, source),
      line,
      own: total - nested,
      listener: isListenerCallback(node),
    });
    return total;
  };
  visit(source);
  return found;
}

export function oversized(measured: readonly Measured[]): Measured[] {
  return measured.filter((m) => m.own > (m.listener ? MAX_LISTENER_LINES : MAX_FUNCTION_LINES));
}

function main(): void {
  const root = process.cwd();
  const files = sourceFiles(join(root, 'src')).map((path) => ({
    path: relative(root, path),
    text: readFileSync(path, 'utf8'),
  }));
  const measured = files.flatMap((f) => measureFile(f.path, f.text));
  if (process.argv.includes('--report')) {
    const top = (n: number) => [...measured].sort((a, b) => b.own - a.own).slice(0, n);
    console.log('largest functions (own lines):');
    for (const m of top(15)) console.log(`  ${String(m.own).padStart(4)}  ${m.file}:${m.line} ${m.name}`);
    console.log('largest files (lines):');
    const byLines = files.map((f) => ({ path: f.path, lines: f.text.split('\n').length }));
    for (const f of byLines.sort((a, b) => b.lines - a.lines).slice(0, 15))
      console.log(`  ${String(f.lines).padStart(4)}  ${f.path}`);
    return;
  }
  const over = oversized(measured);
  for (const m of over) {
    const limit = m.listener
      ? `listener callback limit ${MAX_LISTENER_LINES}`
      : `limit ${MAX_FUNCTION_LINES}`;
    console.error(`${m.file}:${m.line} ${m.name}: ${m.own} lines of its own (${limit}); split it`);
  }
  if (over.length > 0) process.exit(1);
  console.log(`check-sizes: ${measured.length} functions in ${files.length} files, none over the limits`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
