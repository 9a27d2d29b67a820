import { type Migration, migrations } from '../../src/store/migrations/index.js';

/**
 * The schema as it was just before the named migration: upgrade tests name the migration they test, so a
 * renumbering at merge (ids are handed out in landing order) cannot silently move what "before" means.
 */
export function migrationsBefore(name: string): Migration[] {
  const index = migrations.findIndex((m) => m.name === name);
  if (index < 0) throw new Error(`no migration named ${name}`);
  return migrations.slice(0, index);
}
