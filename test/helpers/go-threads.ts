/**
 * The Go threads of a program a test starts (helm, skopeo) with an environment of its own: what the suite runs with
 * (scripts/test-env.mjs sets GOMAXPROCS=1), or Go's default outside it (a benchmark comparing with helm runs helm as
 * users do).
 */
export function goThreads(): { GOMAXPROCS?: string } {
  const threads = process.env['GOMAXPROCS'];
  return threads ? { GOMAXPROCS: threads } : {};
}
