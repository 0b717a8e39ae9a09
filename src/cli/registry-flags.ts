import { resolve } from 'node:path';
import { ChartshipError } from '../model/errors.js';
import type { TargetOptions } from '../oci/index.js';
import { passwordFromStdin } from './inputs.js';
import type { CliIO } from './io.js';

/** The flags every command that talks to a registry takes, as helm names them. */
export const REGISTRY_FLAGS = {
  'plain-http': { type: 'boolean' },
  'ca-file': { type: 'string' },
  'cert-file': { type: 'string' },
  'key-file': { type: 'string' },
  'insecure-skip-tls-verify': { type: 'boolean' },
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'registry-config': { type: 'string' },
} as const;

/**
 * The flags of publish's settings for reaching registries, for the commands that read registries beside publish
 * (plan --registry, merge's classic index): the same names, variables and meanings.
 */
export const REGISTRY_ACCESS_FLAGS = {
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'registry-auth-file': { type: 'string' },
  'registry-tls': { type: 'string', multiple: true },
  'plain-http': { type: 'boolean' },
  'ca-file': { type: 'string' },
  'insecure-skip-tls-verify': { type: 'boolean' },
} as const;

const REGISTRY_LINES: [flag: string, text: string][] = [
  ['--plain-http', 'use HTTP instead of HTTPS'],
  ['--ca-file FILE', 'trust this CA for the registry'],
  ['--cert-file FILE', 'client certificate'],
  ['--key-file FILE', 'client key'],
  ['--insecure-skip-tls-verify', "do not verify the registry's certificate"],
  ['--username USER', "with --password-stdin; otherwise CHARTSHIP_USERNAME and CHARTSHIP_PASSWORD,\nelse helm's and docker's config.json"],
  ['--password-stdin', 'read the password (or token) from standard input'],
  ['--registry-config FILE', "registry config.json instead of helm's default"],
];

/** The registry flags' help lines, their descriptions starting at `column`, where the command's own start. */
export function registryHelp(column = 31): string {
  return REGISTRY_LINES.map(([flag, text]) => `  ${flag.padEnd(column - 2)}${text.replaceAll('\n', `\n${' '.repeat(column)}`)}`).join('\n');
}

export const REGISTRY_HELP = registryHelp();

export interface RegistryFlagValues {
  'plain-http'?: boolean;
  'ca-file'?: string;
  'cert-file'?: string;
  'key-file'?: string;
  'insecure-skip-tls-verify'?: boolean;
  username?: string;
  'password-stdin'?: boolean;
  'registry-config'?: string;
}

/**
 * The registry options the flags ask for. A password only ever comes from standard input (never argv, where `ps`
 * and shell history would keep it), and only together with a username; without one, from CHARTSHIP_USERNAME and
 * CHARTSHIP_PASSWORD.
 */
export async function registryOptions(values: RegistryFlagValues, io: CliIO, command: string): Promise<TargetOptions> {
  if (values['password-stdin'] && values.username === undefined) {
    throw new ChartshipError('--password-stdin needs --username', { code: 'USAGE' });
  }
  if (values.username !== undefined && !values['password-stdin']) {
    throw new ChartshipError('--username needs --password-stdin', { code: 'USAGE', hint: `pipe the password: echo "$PASSWORD" | chartship ${command} … --username USER --password-stdin` });
  }
  const options: TargetOptions = {
    plainHttp: values['plain-http'],
    caFile: values['ca-file'] && resolve(io.cwd, values['ca-file']),
    certFile: values['cert-file'] && resolve(io.cwd, values['cert-file']),
    keyFile: values['key-file'] && resolve(io.cwd, values['key-file']),
    insecureSkipTlsVerify: values['insecure-skip-tls-verify'],
    registryConfig: values['registry-config'] && resolve(io.cwd, values['registry-config']),
    env: io.env,
    cwd: io.cwd,
  };
  if (values.username !== undefined) {
    options.username = values.username;
    options.password = await passwordFromStdin(io);
  } else {
    // A CI job's variables, as publish, plan and lint read them (README's GitLab job sets them for every command).
    Object.assign(options, envCredentials(io.env, 'CHARTSHIP_USERNAME', 'CHARTSHIP_PASSWORD'));
  }
  return options;
}

/** A username and password from the environment, both or neither. */
export function envCredentials(env: NodeJS.ProcessEnv, userVar: string, passwordVar: string): { username: string; password: string } | undefined {
  const username = env[userVar];
  const password = env[passwordVar];
  if (password === undefined) return undefined;
  if (username === undefined) throw new ChartshipError(`${passwordVar} needs ${userVar}`, { code: 'USAGE' });
  return { username, password };
}
