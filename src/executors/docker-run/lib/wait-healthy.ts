import { runProcess } from '../../../utils/run-process';

interface ContainerState {
  Status: string;
  Running: boolean;
  ExitCode: number;
  Health?: { Status: string; Log?: { ExitCode: number; Output: string }[] };
}

export type HealthOutcome = { healthy: true } | { healthy: false; reason: string };

/** Polls the container's state until its HEALTHCHECK passes (or, without one, it is running). */
export async function waitHealthy(container: string, timeoutSeconds: number): Promise<HealthOutcome> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let state: ContainerState | undefined;
  while (Date.now() < deadline) {
    state = await inspectState(container);
    if (!state) return { healthy: false, reason: `container ${container} disappeared (did it exit with --rm?)` };
    if (!state.Running) return { healthy: false, reason: `container ${container} exited with code ${state.ExitCode}` };
    if (!state.Health || state.Health.Status === 'healthy') return { healthy: true };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const lastLog = state?.Health?.Log?.at(-1);
  const lastCheck = lastLog ? `; last health check (exit ${lastLog.ExitCode}): ${lastLog.Output.trim().replace(/\s+/g, ' ')}` : '';
  return { healthy: false, reason: `container ${container} was not healthy after ${timeoutSeconds}s${lastCheck}` };
}

/** Polls until the container no longer runs (or is gone); false if it still runs after timeoutSeconds. */
export async function waitStopped(container: string, timeoutSeconds: number): Promise<boolean> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (!(await inspectState(container))?.Running) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function inspectState(container: string): Promise<ContainerState | undefined> {
  const { code, stdout } = await runProcess('docker', ['inspect', '--format', '{{json .State}}', container], { stdio: 'pipe' });
  return code === 0 ? (JSON.parse(stdout) as ContainerState) : undefined;
}
