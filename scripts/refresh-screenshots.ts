import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run screenshots`: after the sandbox browser test has written fresh screenshots to
 * test-output/screenshots/ (ignored by git), copy them to docs/screenshots/, the copies the README shows.
 */

const FROM = join('test-output', 'screenshots');
const TO = join('docs', 'screenshots');
const NAMES = ['department-channel', 'resolve-modal', 'home-tab', 'manager-digest'];

const started = Date.now() - 10 * 60_000;
const missing = NAMES.filter((name) => {
  const file = join(FROM, `${name}.png`);
  return !existsSync(file) || statSync(file).mtimeMs < started;
});
if (missing.length > 0) {
  process.stderr.write(
    `No fresh screenshot for: ${missing.join(', ')}. The browser test needs Chromium (apt-get install -y chromium).\n`,
  );
  process.exit(1);
}
mkdirSync(TO, { recursive: true });
for (const name of NAMES) copyFileSync(join(FROM, `${name}.png`), join(TO, `${name}.png`));
process.stdout.write(`Copied ${NAMES.length} screenshots to ${TO}/\n`);
