import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface SchemaProperty {
  /** A list where Nx's argument parser needs it (`string` that may arrive as a number): the first names the kind. */
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: string[];
}

const root = join(__dirname, '..', '..');

/** One markdown table per generator and executor, straight from their schema.json (README never repeats them by hand). */
export function referenceTables(): string {
  const sections: string[] = [];
  for (const [kind, file, key] of [['Generator', 'generators.json', 'generators'], ['Executor', 'executors.json', 'executors']] as const) {
    const entries = JSON.parse(readFileSync(join(root, file), 'utf-8'))[key] as Record<string, { schema: string; hidden?: boolean }>;
    for (const [name, entry] of Object.entries(entries)) {
      if (entry.hidden) continue;
      const schemaPath = join(root, entry.schema.replace('./dist/', 'src/'));
      const schema = JSON.parse(readFileSync(schemaPath, 'utf-8')) as { description: string; properties: Record<string, SchemaProperty> };
      sections.push(`### ${kind} \`${name}\`\n\n${schema.description}\n\n| option | type | default | description |\n|---|---|---|---|`);
      for (const [option, property] of Object.entries(schema.properties)) {
        const type = property.enum ? property.enum.map((v) => `\`${v}\``).join(' \\| ') : [property.type ?? ''].flat()[0];
        const fallback = property.default === undefined ? '' : `\`${JSON.stringify(property.default)}\``;
        sections.push(`| \`${option}\` | ${type} | ${fallback} | ${(property.description ?? '').replace(/\|/g, '\\|')} |`);
      }
      sections.push('');
    }
  }
  return sections.join('\n').trim();
}

export const beginMarker = '<!-- reference:begin (generated from schema.json by `npm run docs`) -->';
export const endMarker = '<!-- reference:end -->';

export function withReferenceTables(readme: string): string {
  const begin = readme.indexOf(beginMarker);
  const end = readme.indexOf(endMarker);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the ${beginMarker} ... ${endMarker} markers.`);
  return `${readme.slice(0, begin + beginMarker.length)}\n${referenceTables()}\n${readme.slice(end)}`;
}
