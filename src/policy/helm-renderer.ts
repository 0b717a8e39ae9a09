import { execFile } from 'node:child_process';
import { ownChild } from '../model/stopped-run.js';
import { toRange } from '../charts/version-range.js';
import { renderPath, type PackagedRender, type Renderer, type SetValue } from './render.js';

const TIMEOUT_MS = 120_000;

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    ownChild(execFile('helm', args, { env, maxBuffer: 64 * 1024 * 1024, timeout: TIMEOUT_MS }, (error, stdout, stderr) => {
      // helm's own words are on stderr; the error keeps them (and its code: ENOENT is "no helm") for the caller.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error; the rule cannot see it through Object.assign's intersection type
      if (error) reject(Object.assign(error, { stderr }));
      else resolve({ stdout, stderr });
    }));
  });
}

/**
 * The helm binary on the PATH of `env` as a Renderer (`helm template`), or undefined when there is none: the
 * caller reports the rules that need it as not checked.
 */
export async function findHelm(env: NodeJS.ProcessEnv): Promise<Renderer | undefined> {
  let version: string;
  try {
    version = (await run(['version', '--template', '{{.Version}}'], env)).stdout.trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`helm is on PATH but \`helm version\` fails: ${describe(error)}`);
  }
  return {
    name: `helm ${version}`,
    async render(source: string | PackagedRender, values: SetValue[]): Promise<string> {
      const chart = renderPath(source);
      const sets = values.flatMap((v) => ['--set-json', `${v.path}=${JSON.stringify(v.value)}`]);
      try {
        return (await run(['template', 'chartship', chart, ...sets], env)).stdout;
      } catch (error) {
        const message = describe(error);
        const kube = kubeVersionAccepted(message);
        if (!kube) throw new Error(message);
        try {
          return (await run(['template', 'chartship', chart, ...sets, '--kube-version', kube], env)).stdout;
        } catch (again) {
          throw new Error(describe(again));
        }
      }
    },
  };
}

/** helm template's refusal of a chart whose `kubeVersion` the Kubernetes it has built in does not meet. */
const KUBE_REFUSED = /chart requires kubeVersion: (.+?) which is incompatible with Kubernetes v?1\.(\d+)\./;

/**
 * The Kubernetes version to render for when helm refused the chart's kubeVersion: a cluster helm's built-in version
 * would refuse the chart too, so it is checked as a cluster it accepts renders it (the nearest minor to helm's own,
 * newer first); undefined when the message is another or no 1.x version meets the constraint.
 */
function kubeVersionAccepted(message: string): string | undefined {
  const match = KUBE_REFUSED.exec(message);
  const range = match && toRange(match[1]);
  if (!match || !range) return undefined;
  const builtIn = Number(match[2]);
  const minors = [...Array.from({ length: 100 }, (_, i) => builtIn + 1 + i), ...Array.from({ length: builtIn }, (_, i) => builtIn - 1 - i)];
  for (const minor of minors) for (let patch = 0; patch <= 30; patch++) if (range.test(`1.${minor}.${patch}`)) return `v1.${minor}.${patch}`;
  return undefined;
}

/** helm's own message (`Error: …` on stderr), first lines only. */
function describe(error: unknown): string {
  const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
  const text = stderr || (error instanceof Error ? error.message : String(error));
  return text.replace(/^Error: /, '').split('\n').slice(0, 4).join(' ').slice(0, 500);
}
