/**
 * The one module that speaks Docker: every docker, docker buildx and docker compose command the
 * plugin runs, the argv each is given, and the reading of what each prints, and its one request
 * to the Engine API (a signal for a container, engine-api.ts). Executors orchestrate these; none
 * of them runs docker itself.
 */
export * from './build';
export * from './compose';
export * from './containers';
export * from './engine';
export * from './engine-api';
export * from './go-cache';
export * from './go-toolchain';
export * from './images';
export * from './oci-archive';
export * from './registry';
