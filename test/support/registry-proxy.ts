import { IncomingMessage, ServerResponse, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';

/** A registry in front of a real one that misbehaves on purpose: it rejects a tag, or holds blob uploads. */
export interface RegistryProxy {
  /** host:port to push to. */
  address: string;
  /** Resolves when the first blob upload arrives (and, while holding, hangs). */
  blobUploadSeen: Promise<void>;
  /** Lets blob uploads through from now on. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Forwards everything to `upstream` (host:port) except: a manifest PUT under `rejectTag` gets
 * the registry's 400 TAG_INVALID, as an immutable-tag registry answers; with `holdBlobUploads`,
 * blob uploads never get an answer until release(), so a push can be interrupted half-way.
 */
export async function registryProxy(upstream: string, options: { rejectTag?: string; holdBlobUploads?: boolean }): Promise<RegistryProxy> {
  let holding = options.holdBlobUploads ?? false;
  let seen: () => void = () => undefined;
  const blobUploadSeen = new Promise<void>((resolve) => (seen = resolve));
  const held: ServerResponse[] = [];
  const [upstreamHost, upstreamPort] = upstream.split(':');

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (options.rejectTag && req.method === 'PUT' && new RegExp(`/manifests/${options.rejectTag}$`).test(path)) {
      req.resume();
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'TAG_INVALID', message: `tag ${options.rejectTag} is immutable and already exists`, detail: {} }] }));
      return;
    }
    if (/\/blobs\/uploads\//.test(path)) {
      seen();
      if (holding) {
        req.resume();
        held.push(res);
        return;
      }
    }
    const forwarded = request(
      { host: upstreamHost, port: Number(upstreamPort), method: req.method, path, headers: { ...req.headers, host: upstream } },
      (answer) => {
        const headers = { ...answer.headers };
        // Upload URLs the registry hands out must lead back here, not around the proxy.
        if (typeof headers.location === 'string') headers.location = headers.location.replace(`http://${upstream}`, `http://${address}`);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    blobUploadSeen,
    release: () => {
      holding = false;
      for (const res of held.splice(0)) res.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
