import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, linkSync, mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request the cache answered: what was asked for and the status it got. */
export interface CacheRequest {
  method: string;
  hash: string;
  status: number;
}

export interface NxRemoteCacheOptions {
  /** The bearer token that may read and write (Nx sends NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN); none: no auth. */
  token?: string;
  /** A bearer token that may only read: a PUT with it is forbidden (403), as the spec's example has it. */
  readOnlyToken?: string;
}

/** Nx task hashes are decimal; anything that could leave the storage folder is not a hash. */
const cachePath = /^\/v1\/cache\/([A-Za-z0-9._-]+)$/;

/**
 * Nx's self-hosted remote cache, as the OpenAPI spec Nx publishes describes it
 * (https://nx.dev/docs/kb/self-hosted-caching, "Nx custom remote cache
 * specification" 1.0.0): `GET /v1/cache/{hash}` answers 200 with the artifact (a tar archive
 * as application/octet-stream), 404 when there is none, 403 when the bearer token is not
 * accepted; `PUT /v1/cache/{hash}` takes the artifact (Content-Length required) and answers
 * 200, 409 when the hash is already stored (records are never overwritten), 401 for a
 * missing or invalid token and 403 for a token that may not write. Errors are text/plain,
 * exactly: Nx reads a 401 whose Content-Type is anything else as a misconfigured server.
 *
 * The spec once said 202 for a stored upload (nrwl/nx#32870); Nx's client (21 to 24, tried)
 * takes only 200 as success and fails the run on 202, and the spec now says 200.
 *
 * Artifacts live in a temporary folder; every request is recorded for assertions.
 */
export class NxRemoteCache {
  readonly requests: CacheRequest[] = [];
  private readonly storage = mkdtempSync(join(tmpdir(), 'nx-remote-cache-'));
  private server: Server | undefined;

  constructor(private readonly options: NxRemoteCacheOptions = {}) {}

  /** Listens on 127.0.0.1 on a port the kernel picks; resolves to the URL for NX_SELF_HOSTED_REMOTE_CACHE_SERVER. */
  start(): Promise<string> {
    const server = createServer((request, response) => this.handle(request, response));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        resolve(`http://127.0.0.1:${port}`);
      });
    });
  }

  /** Stops listening, drops open connections and deletes the stored artifacts. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    rmSync(this.storage, { recursive: true, force: true });
  }

  /** Hashes of the artifacts stored (PUT answered 200), in order. */
  get stored(): string[] {
    return this.hashes('PUT', 200);
  }

  /** Hashes of the artifacts served (GET answered 200), in order. */
  get served(): string[] {
    return this.hashes('GET', 200);
  }

  /** Hashes asked for that the cache did not hold (GET answered 404), in order. */
  get missed(): string[] {
    return this.hashes('GET', 404);
  }

  hashes(method: string, status: number): string[] {
    return this.requests.filter((r) => r.method === method && r.status === status).map((r) => r.hash);
  }

  /** The stored artifact of a hash (a gzipped tar, as Nx uploads it), or undefined. */
  artifact(hash: string): string | undefined {
    const file = join(this.storage, hash);
    return existsSync(file) ? file : undefined;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const hash = cachePath.exec(new URL(request.url ?? '/', 'http://cache').pathname)?.[1];
    const answer = (status: number, message?: string) => {
      this.requests.push({ method: request.method ?? '', hash: hash ?? request.url ?? '', status });
      if (message === undefined) {
        response.writeHead(status).end();
      } else {
        response.writeHead(status, { 'Content-Type': 'text/plain' }).end(message + '\n');
      }
    };
    // Read the whole body before answering, so a client still sending an upload sees the answer, not a reset.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => response.destroy());
    request.on('end', () => {
      if (hash === undefined) return answer(404, `No such endpoint: ${request.method} ${request.url}`);
      if (request.method === 'GET') return this.get(hash, request, response, answer);
      if (request.method === 'PUT') return this.put(hash, request, Buffer.concat(chunks), answer);
      response.setHeader('Allow', 'GET, PUT');
      return answer(405, `${request.method} is not supported: use GET or PUT`);
    });
  }

  private get(hash: string, request: IncomingMessage, response: ServerResponse, answer: (status: number, message?: string) => void): void {
    if (this.access(request) === 'none') return answer(403, 'The remote cache does not accept this access token.');
    const file = this.artifact(hash);
    if (file === undefined) return answer(404);
    this.requests.push({ method: 'GET', hash, status: 200 });
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': statSync(file).size });
    createReadStream(file).pipe(response);
  }

  private put(hash: string, request: IncomingMessage, body: Buffer, answer: (status: number, message?: string) => void): void {
    const access = this.access(request);
    if (access === 'none') return answer(401, 'Missing or invalid access token: set NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN.');
    if (access === 'read') return answer(403, 'This access token may read the remote cache, not write to it.');
    const declared = request.headers['content-length'];
    if (declared === undefined) return answer(411, 'Content-Length is required.');
    if (Number(declared) !== body.length) return answer(400, `Content-Length says ${declared} bytes, the body has ${body.length}.`);
    // Written aside, then linked into place: the link fails if the hash is already there, so
    // two uploads of one hash cannot both win and a reader never sees half an artifact.
    const part = join(this.storage, `.${hash}.${randomUUID()}`);
    writeFileSync(part, body);
    try {
      linkSync(part, join(this.storage, hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return answer(409, 'This hash is already stored and records are never overwritten.');
      throw error;
    } finally {
      unlinkSync(part);
    }
    answer(200);
  }

  private access(request: IncomingMessage): 'write' | 'read' | 'none' {
    const { token, readOnlyToken } = this.options;
    if (token === undefined) return 'write';
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === token) return 'write';
    if (readOnlyToken !== undefined && bearer === readOnlyToken) return 'read';
    return 'none';
  }
}
