/** The platforms of a pushed image, and of the binaries docker-binary compiles, when none are given. */
export const defaultImagePlatforms = ['linux/amd64', 'linux/arm64'];

/** The given platforms, else the default ones; a one-line problem naming the first that Go cannot build a Linux image for. */
export function imagePlatforms(platforms: string[] | undefined): { platforms: string[] } | { problem: string } {
  const chosen = platforms?.length ? platforms : defaultImagePlatforms;
  const bad = chosen.find((platform) => !/^linux\/(amd64|arm64|arm\/v[67]|386|ppc64le|s390x|riscv64)$/.test(platform));
  if (bad === undefined) return { platforms: chosen };
  return { problem: `Unknown platform '${bad}': use linux/amd64, linux/arm64, linux/arm/v7, linux/386, linux/ppc64le, linux/s390x or linux/riscv64.` };
}
