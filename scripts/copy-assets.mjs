// tsc compiles src/ to dist/; the schemas the generators and executors declare ship beside their
// code: schema.json for Nx, schema.d.ts for the declarations that import it (tsc copies neither).
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const assets = new Set(['schema.json', 'schema.d.ts']);

function* schemas(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* schemas(path);
    else if (assets.has(entry.name)) yield path;
  }
}

for (const schema of schemas('src')) cpSync(schema, join('dist', relative('src', schema)));
