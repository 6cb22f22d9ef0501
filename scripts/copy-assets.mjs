// tsc compiles src/ to dist/; the schemas the generators and executors declare ship beside their code.
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

function* schemas(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* schemas(path);
    else if (entry.name === 'schema.json') yield path;
  }
}

for (const schema of schemas('src')) cpSync(schema, join('dist', relative('src', schema)));
