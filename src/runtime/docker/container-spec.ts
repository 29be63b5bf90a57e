// A pod container as a Docker ContainerCreate body, as dockershim mapped it: Kubernetes `command`
// replaces the image ENTRYPOINT (and drops its CMD), `args` replace CMD; the container joins its
// sandbox's network and IPC namespaces; limits become the CFS quota and the memory cgroup (no
// swap), requests the CPU shares; stdin and tty as the spec asks; the process namespace as
// kuberuntime picks it (the node's, the pod's, an ephemeral container's target's); volumes become Docker volumes (emptyDir), binds (hostPath) or
// files copied in before start (configMap, secret, downwardAPI).
import { posix } from 'node:path'
import { fileContent, RuntimeError, type ContainerConfig, type Mount } from '../runtime.ts'
import { type TarEntry, tar } from './tar.ts'

/** kubelet's milliCPUToShares / milliCPUToQuota (period 100ms). */
export function cpuShares (requestMillis: number | undefined, limitMillis: number | undefined): number {
  const millis = requestMillis ?? limitMillis ?? 0
  return Math.max(2, Math.floor(millis * 1024 / 1000))
}

export const CPU_PERIOD_US = 100_000
export const cpuQuota = (limitMillis: number): number => Math.max(1000, Math.floor(limitMillis * CPU_PERIOD_US / 1000))

export interface CreateInputs {
  config: ContainerConfig
  image: string
  sandboxId: string
  labels: Record<string, string>
  /** Docker volume name of an emptyDir. */
  volumeName: (volume: string) => string
  /** The sandbox's process namespace for its containers (labels.ts): `node`, `pod`, or each its own. */
  pidMode?: string
  /** `node`: the host's IPC namespace, else the sandbox's. */
  ipcMode?: string
}

/**
 * kuberuntime's PID namespace of a container: the node's (hostPID), the pod's
 * (shareProcessNamespace: the pause container's), else an ephemeral container's target's, else its own.
 */
function pidMode (input: CreateInputs): string | undefined {
  if (input.pidMode === 'node') return 'host'
  if (input.pidMode === 'pod') return `container:${input.sandboxId}`
  const target = input.config.targetContainerId
  return target === undefined ? undefined : `container:${target.replace(/^containerd:\/\//, '')}`
}

function mountsOf (mounts: Mount[], volumeName: (v: string) => string): { Mounts: unknown[], Binds: string[] } {
  const Mounts: unknown[] = []
  const Binds: string[] = []
  for (const m of mounts) {
    const s = m.source
    if (s.type === 'unsupported') throw new RuntimeError('CreateContainerConfigError', s.message)
    if (s.type === 'emptyDir') {
      if (m.subPath !== undefined) throw new RuntimeError('CreateContainerConfigError', `subPath "${m.subPath}" on emptyDir volume "${m.volume}" is not supported by the docker runtime`)
      Mounts.push({ Type: 'volume', Source: volumeName(m.volume), Target: m.containerPath, ReadOnly: m.readOnly })
    } else if (s.type === 'hostPath') {
      const source = m.subPath === undefined ? s.path : posix.join(s.path, m.subPath)
      Binds.push(`${source}:${m.containerPath}${m.readOnly ? ':ro' : ''}`)
    }
  }
  return { Mounts, Binds }
}

export function createBody (input: CreateInputs): Record<string, unknown> {
  const { config } = input
  const r = config.resources ?? {}
  const { Mounts, Binds } = mountsOf(config.mounts ?? [], input.volumeName)
  const body: Record<string, unknown> = {
    Image: input.image,
    Env: (config.env ?? []).map(e => `${e.name}=${e.value}`),
    Labels: input.labels,
    Tty: config.tty === true,
    OpenStdin: config.stdin === true,
    StdinOnce: config.stdin === true && config.stdinOnce === true,
    HostConfig: {
      NetworkMode: `container:${input.sandboxId}`,
      IpcMode: input.ipcMode === 'node' ? 'host' : `container:${input.sandboxId}`,
      ...(pidMode(input) !== undefined ? { PidMode: pidMode(input) } : {}),
      RestartPolicy: { Name: 'no' },
      CpuShares: cpuShares(r.cpuRequestMillis, r.cpuLimitMillis),
      ...(r.cpuLimitMillis !== undefined ? { CpuPeriod: CPU_PERIOD_US, CpuQuota: cpuQuota(r.cpuLimitMillis) } : {}),
      ...(r.memoryLimitBytes !== undefined ? { Memory: r.memoryLimitBytes, MemorySwap: r.memoryLimitBytes } : {}),
      Mounts,
      Binds,
    },
  }
  if (config.command !== undefined && config.command.length > 0) {
    body.Entrypoint = config.command
    body.Cmd = config.args ?? []
  } else if (config.args !== undefined && config.args.length > 0) {
    body.Cmd = config.args
  }
  if (config.workingDir !== undefined && config.workingDir !== '') body.WorkingDir = config.workingDir
  return body
}

/**
 * The projected files of the container's mounts as one tar to extract at "/": each file at
 * <mountPath>/<path>, or, with a subPath, the one file at <mountPath>.
 */
export async function filesArchive (mounts: Mount[]): Promise<Buffer | undefined> {
  const entries: TarEntry[] = []
  for (const m of mounts) {
    if (m.source.type !== 'files') continue
    const files = m.source.files
    if (m.subPath !== undefined) {
      const f = files.find(x => x.path === m.subPath)
      if (f !== undefined) entries.push({ path: m.containerPath, content: await fileContent(f), mode: f.mode })
      continue
    }
    entries.push({ path: m.containerPath, mode: 0o755 })
    for (const f of files) entries.push({ path: posix.join(m.containerPath, f.path), content: await fileContent(f), mode: f.mode })
  }
  return entries.length === 0 ? undefined : tar(entries)
}
