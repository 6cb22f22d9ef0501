/**
 * Writes a Go monorepo for graph timings: N services under apps/ and M libraries under libs/,
 * each a Go module with a project.json, tied together by go.work. Services import three
 * libraries each; libraries import their neighbour in chains of five, so the graph has depth.
 * With a template (the benchmark passes the generated service's), services also carry its
 * Dockerfile and ignore file, so the plugin infers their Docker targets as in a real workspace.
 *
 *   npx tsx scripts/bench/graph-workspace.ts <folder> [services=300] [libraries=20]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GraphWorkspaceOptions {
  services: number;
  libraries: number;
  modulePrefix: string;
  /** A generated service's Dockerfile and ignore file, with the name and root of that service, to copy into every service. */
  template?: { name: string; root: string; dockerfile: string; ignore?: string };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const libraryName = (i: number) => `lib-${pad(i, 2)}`;
export const serviceName = (i: number) => `svc-${pad(i, 3)}`;
const packageOf = (library: string) => library.replace(/-/g, '');

/** The libraries service `i` imports: three distinct ones, spread over all of them. */
export function serviceImports(i: number, libraries: number): number[] {
  return [...new Set([i % libraries, (i * 7 + 3) % libraries, (i * 13 + 5) % libraries])].sort((a, b) => a - b);
}

/** Library `i` imports library `i - 1` except at the start of each chain of five. */
export const libraryImports = (i: number): number[] => (i % 5 === 0 ? [] : [i - 1]);

function write(root: string, path: string, content: string) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}

function goFile(pkg: string, imports: string[], body: string): string {
  const block = imports.length ? `import (\n${imports.map((path) => `\t"${path}"\n`).join('')})\n\n` : '';
  return `package ${pkg}\n\n${block}${body}`;
}

export function writeGraphWorkspace(root: string, options: GraphWorkspaceOptions): { projects: number; edges: number } {
  const { services, libraries, modulePrefix, template } = options;
  const uses: string[] = [];
  let edges = 0;
  for (let i = 0; i < libraries; i++) {
    const name = libraryName(i);
    const dir = `libs/${name}`;
    const deps = libraryImports(i).map(libraryName);
    edges += deps.length;
    uses.push(dir);
    write(root, `${dir}/go.mod`, `module ${modulePrefix}/${dir}\n\ngo 1.26\n`);
    write(
      root,
      `${dir}/${packageOf(name)}.go`,
      goFile(
        packageOf(name),
        deps.map((dep) => `${modulePrefix}/libs/${dep}`),
        `// Name says which library this is${deps.length ? ' and which it builds on' : ''}.\nfunc Name() string {\n\treturn "${name}"${deps.map((dep) => ` + "/" + ${packageOf(dep)}.Name()`).join('')}\n}\n`,
      ),
    );
    write(root, `${dir}/project.json`, `${JSON.stringify({ name, $schema: '../../node_modules/nx/schemas/project-schema.json', projectType: 'library', tags: ['type:lib'] }, null, 2)}\n`);
  }
  for (let i = 0; i < services; i++) {
    const name = serviceName(i);
    const dir = `apps/${name}`;
    const deps = serviceImports(i, libraries).map(libraryName);
    edges += deps.length;
    uses.push(dir);
    write(root, `${dir}/go.mod`, `module ${modulePrefix}/${dir}\n\ngo 1.26\n`);
    write(
      root,
      `${dir}/main.go`,
      goFile(
        'main',
        ['fmt', ...deps.map((dep) => `${modulePrefix}/libs/${dep}`)],
        `func main() {\n\tfmt.Println("${name}"${deps.map((dep) => `, ${packageOf(dep)}.Name()`).join('')})\n}\n`,
      ),
    );
    write(root, `${dir}/project.json`, `${JSON.stringify({ name, $schema: '../../node_modules/nx/schemas/project-schema.json', projectType: 'application', tags: ['type:service'] }, null, 2)}\n`);
    if (template) {
      const rename = (text: string) => text.split(template.root).join(dir).split(template.name).join(name);
      write(root, `${dir}/Dockerfile`, rename(template.dockerfile));
      if (template.ignore !== undefined) write(root, `${dir}/Dockerfile.dockerignore`, rename(template.ignore));
    }
  }
  write(root, 'go.work', `go 1.26\n\nuse (\n${uses.sort().map((dir) => `\t./${dir}\n`).join('')})\n`);
  write(root, '.gitignore', 'node_modules\n.nx\n');
  if (!existsSync(join(root, 'package.json'))) {
    write(root, 'package.json', `${JSON.stringify({ name: 'graph-bench', private: true, version: '0.0.0' }, null, 2)}\n`);
  }
  return { projects: services + libraries, edges };
}

if (require.main === module) {
  const [root, services = '300', libraries = '20'] = process.argv.slice(2);
  if (!root) {
    console.error('Usage: npx tsx scripts/bench/graph-workspace.ts <folder> [services=300] [libraries=20]');
    process.exit(1);
  }
  const { projects, edges } = writeGraphWorkspace(root, {
    services: Number(services),
    libraries: Number(libraries),
    modulePrefix: 'example.com/graph-bench',
  });
  console.log(`wrote ${projects} Go projects with ${edges} import edges to ${root}`);
}
