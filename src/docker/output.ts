/** The last non-empty line of a docker command's output: where it states its error. */
export function lastLine(output: string): string {
  return output.trim().split('\n').at(-1)?.trim() ?? '';
}
