/** Regenerates README.md's reference tables from the generators' and executors' schema.json. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withReferenceTables } from './lib/reference-tables';

const readme = join(__dirname, '..', 'README.md');
writeFileSync(readme, withReferenceTables(readFileSync(readme, 'utf-8')));
console.log('README.md reference tables regenerated from schema.json');
