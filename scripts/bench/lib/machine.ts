import { readFileSync, realpathSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { tryExec } from '../../../test/support/exec';
import { standIns } from '../../../test/support/docker';

/** What the page's header states about the machine and the tools, read when the run starts. */
export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  engine: string;
  /** `containerd image store` or `classic image store (overlay2)`. */
  imageStore: string;
  /** Every docker client on PATH, first one first, with its version: `20.10.24 (/usr/bin/docker)`. */
  clients: string[];
  /** Node's own folder: npm and Nx's run-commands put it early on PATH for the commands they run. */
  nodeDir: string;
  buildx: string;
  compose: string;
  go: string;
  wrk: string;
  node: string;
  baseImages: { image: string; standIn: boolean }[];
}

export const baseImages = ['golang:1.26-alpine', 'gcr.io/distroless/static-debian12:nonroot', 'alpine:3.21'];

async function firstLine(command: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await tryExec(command, args).catch(() => ({ stdout: '', stderr: 'not installed' }));
  return (stdout.trim() || stderr.trim()).split('\n')[0].trim();
}

export async function readMachine(): Promise<Machine> {
  const found = await standIns(baseImages);
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    engine: await firstLine('docker', ['version', '--format', '{{.Server.Version}}']),
    imageStore: (await firstLine('docker', ['info', '--format', '{{json .DriverStatus}}'])).includes('io.containerd.snapshotter')
      ? 'containerd image store'
      : `classic image store (${await firstLine('docker', ['info', '--format', '{{.Driver}}'])})`,
    clients: await dockerClients(),
    nodeDir: dirname(process.execPath),
    buildx: await firstLine('docker', ['buildx', 'version']),
    compose: await firstLine('docker', ['compose', 'version', '--short']),
    go: await firstLine('go', ['version']),
    wrk: (await firstLine('wrk', ['-v'])).split(' [')[0],
    node: process.version,
    baseImages: baseImages.map((image) => ({ image, standIn: found.includes(image) })),
  };
}

async function dockerClients(): Promise<string[]> {
  const { stdout } = await tryExec('which', ['-a', 'docker']).catch(() => ({ stdout: '' }));
  const paths = [...new Set(stdout.split('\n').filter(Boolean).map((path) => realpathSync(path)))];
  return Promise.all(paths.map(async (path) => `${await firstLine(path, ['version', '--format', '{{.Client.Version}}'])} (${path})`));
}

/** The nx version installed in a workspace. */
export function nxVersionIn(workspaceRoot: string): string {
  return (JSON.parse(readFileSync(join(workspaceRoot, 'node_modules', 'nx', 'package.json'), 'utf-8')) as { version: string }).version;
}

/** The 1-minute load average: other work on this shared machine shows up in the timings. */
export const load = () => loadavg()[0];
