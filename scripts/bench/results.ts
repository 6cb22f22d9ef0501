import type { Compatibility } from './lib/compat';
import type { Machine } from './lib/machine';
import type { GraphResult } from './graph';
import type { ImageFacts } from './images';
import type { TargetTimes } from './nx-level';
import type { PostgresResults } from './postgres';
import type { PublishResults } from './publish';
import type { RuntimeRun } from './runtime';

/** Everything one benchmark run measured: saved as JSON, then rendered into docs/. */
export interface BenchResults {
  machine: Machine;
  settings: { reps: number; runtimeReps: number; wrkSeconds: number; runId: string; nxMajor: string };
  load: { start: number; end: number };
  durationSeconds: number;
  nx: {
    version: string;
    generate: { seconds: number[]; error?: string };
    /** `nx show projects` in the same workspace: Nx's own start-up. */
    floor: number[];
    dockerBuild: TargetTimes;
    /** The same with the Nx daemon on (Nx's default outside CI). */
    dockerBuildDaemon: TargetTimes;
    /** `nx run bench-svc:docker-run --detach`, which returns once the container is healthy. */
    dockerRunDetach: number[];
    dockerBuildInputs: unknown[];
  };
  comparison: {
    compat: Compatibility;
    /** `npm i -D @nx/docker@<bench major>` in the bench workspace. */
    nxDockerInBench: { ok: boolean; error: string };
    /** The Nx and @nx/docker versions of the workspace where both plugins ran side by side, if any. */
    nxVersion?: string;
    nxDockerVersion?: string;
    nxGoVersion?: string;
    ours?: TargetTimes;
    nxDocker?: TargetTimes;
    /** Why @nx/docker's target as inferred could not build the service, when it could not. */
    nxDockerDefaultError?: string;
    /** That failure's output shows Docker's classic builder. */
    nxDockerClassicBuilder?: boolean;
    /** The plugin options it took to make it build, when the default failed. */
    nxDockerConfigured?: string;
    notes: string[];
  };
  graph: { services: number; libraries: number; edges: number; results: GraphResult[] };
  /** Waits the generated main.go builds into its shutdown (`drainTime = 500 * time.Millisecond`), which every variant's stop time includes. */
  shutdownWaits: string[];
  variants: VariantResult[];
  /** docker-push beside ko, one platform and two (absent in results from before it was measured). */
  publish?: PublishResults;
  /** The generated service with PostgreSQL: builds with real dependencies, size, /items under load. */
  postgres?: PostgresResults;
  notes: string[];
}

export interface VariantResult {
  key: string;
  label: string;
  short: string;
  image: string;
  /** Cache mounts given an id of their own for the cold builds. */
  mounts: number;
  cold: number[];
  oneLine: number[];
  unchanged: number[];
  facts?: ImageFacts;
  runtime: RuntimeRun[];
  errors: string[];
}
