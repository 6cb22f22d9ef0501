import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from './exec';

/** A private Go module served the way a company's proxy serves one: the GOPROXY protocol over HTTPS, behind basic auth. */
export interface PrivateGoProxy {
  /** https://host:port, what GOPROXY is set to. */
  url: string;
  /** The CA that signed the proxy's certificate (self-signed), as PEM: what --secret id=ca-certificates hands the build. */
  caFile: string;
  module: string;
  version: string;
  /** A netrc with the proxy's credentials: what --secret id=netrc hands the build. */
  netrc: string;
  /** Requests answered 401 (no or wrong credentials). */
  refused: () => number;
  close(): Promise<void>;
}

/**
 * Serves `module` at `version` (one Go file, `Hello()`) from a GOPROXY-protocol folder on
 * `host` (the Docker bridge's gateway, so a build container reaches it), over HTTPS with a
 * certificate of its own (the go command sends netrc credentials only over HTTPS), to
 * clients that send `user`/`password`. The module zip is made by Go's own archive/zip, in the layout the
 * go command checks (`<module>@<version>/...`).
 */
export async function privateGoProxy(host: string, user: string, password: string): Promise<PrivateGoProxy> {
  const module = 'example.test/private/greet';
  const version = 'v1.0.0';
  const root = mkdtempSync(join(tmpdir(), 'goproxy-'));
  const versions = join(root, 'folder', module, '@v');
  mkdirSync(versions, { recursive: true });
  const goMod = `module ${module}\n\ngo 1.22\n`;
  writeFileSync(join(versions, 'list'), `${version}\n`);
  writeFileSync(join(versions, `${version}.info`), JSON.stringify({ Version: version, Time: '2026-01-01T00:00:00Z' }));
  writeFileSync(join(versions, `${version}.mod`), goMod);
  await zipModule(root, module, version, { 'go.mod': goMod, 'greet.go': 'package greet\n\n// Hello is what the private module offers.\nfunc Hello() string { return "hello from a private module" }\n' }, join(versions, `${version}.zip`));

  const key = join(root, 'key.pem');
  const caFile = join(root, 'ca.pem');
  await exec('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', caFile, '-days', '1', '-subj', '/CN=goproxy.test', '-addext', `subjectAltName=IP:${host}`]);

  let refused = 0;
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server = createServer({ key: readFileSync(key), cert: readFileSync(caFile) }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== expected) {
      refused++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="goproxy"' });
      res.end('unauthorized\n');
      return;
    }
    try {
      res.end(readFileSync(join(root, 'folder', decodeURIComponent((req.url ?? '/').split('?')[0]))));
    } catch {
      res.writeHead(404);
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const netrc = join(root, 'netrc');
  // The go command matches a netrc machine against the URL's host:port.
  writeFileSync(netrc, `machine ${host}:${port} login ${user} password ${password}\n`);
  return {
    url: `https://${host}:${port}`,
    caFile,
    module,
    version,
    netrc,
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Writes the module zip with a throwaway Go program (archive/zip): no zip tool needed. */
async function zipModule(root: string, module: string, version: string, files: Record<string, string>, destination: string): Promise<void> {
  const tool = join(root, 'zip-tool');
  mkdirSync(tool);
  writeFileSync(join(tool, 'go.mod'), 'module ziptool\n\ngo 1.22\n');
  writeFileSync(
    join(tool, 'main.go'),
    `package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"sort"
)

func main() {
	var files map[string]string
	if err := json.Unmarshal([]byte(os.Args[2]), &files); err != nil {
		panic(err)
	}
	out, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	w := zip.NewWriter(out)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := w.Create(os.Args[3] + "/" + name)
		if err != nil {
			panic(err)
		}
		f.Write([]byte(files[name]))
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	out.Close()
}
`,
  );
  await exec('go', ['run', '.', destination, JSON.stringify(files), `${module}@${version}`], { cwd: tool, env: { GOWORK: 'off', GOFLAGS: '-mod=mod' } });
}
