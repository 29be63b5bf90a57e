// The Docker Engine API as the docker runtime uses it: the one file that imports dockerode (zx's
// adapter rule), so the rest of src/runtime/docker depends on these few calls and plain types.
// Connects to DOCKER_HOST (unix:// or tcp://) or /var/run/docker.sock, and says which one when
// no daemon answers.
import Docker from 'dockerode'
import { type Duplex, PassThrough, type Readable } from 'node:stream'

export interface EngineTarget { socketPath?: string, host?: string, port?: number, description: string }

/** Where the daemon is: DOCKER_HOST (as the docker CLI reads it), else the default socket. */
export function engineTarget (env: NodeJS.ProcessEnv = process.env): EngineTarget {
  const host = env.DOCKER_HOST
  if (host === undefined || host === '') return { socketPath: '/var/run/docker.sock', description: 'unix:///var/run/docker.sock (the default; DOCKER_HOST is not set)' }
  if (host.startsWith('unix://')) return { socketPath: host.slice(7), description: `${host} (from DOCKER_HOST)` }
  const m = /^tcp:\/\/([^:/]+):(\d+)\/?$/.exec(host)
  if (m !== null) return { host: m[1], port: Number(m[2]), description: `${host} (from DOCKER_HOST)` }
  throw new Error(`DOCKER_HOST="${host}" is not understood: use unix:///path/to/docker.sock or tcp://HOST:PORT`)
}

export class DockerUnavailableError extends Error {
  override name = 'DockerUnavailableError'
}

export interface ContainerInfo {
  id: string
  name: string
  labels: Record<string, string>
  image: string
  imageId: string
  state: { status: string, running: boolean, exitCode: number, oomKilled: boolean, startedAt: string, finishedAt: string, error: string }
  created: string
  ip?: string
  /** Created with a terminal / with an open stdin. */
  tty: boolean
  openStdin: boolean
}

export interface ImageInfo { id: string, repoDigests: string[], repoTags: string[], size: number }

export interface ExecResult { exitCode: number, output: string }

export interface HijackedExec {
  /** The exec instance's ID (containerd names it in its start errors). */
  id: string
  stream: Duplex
  resize(width: number, height: number): Promise<void>
  exitCode(): Promise<number | null>
}

const isNotFound = (err: unknown): boolean => (err as { statusCode?: number }).statusCode === 404

/** Buffer a Docker progress / JSON stream, failing on an `error` line (pull, import, load). */
async function drainProgress (stream: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = []
  let text = ''
  for await (const chunk of stream as AsyncIterable<Buffer>) text += chunk.toString('utf8')
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    let msg: { error?: string, errorDetail?: { message?: string }, stream?: string, status?: string }
    try { msg = JSON.parse(line) } catch { lines.push(line); continue }
    if (msg.error !== undefined) throw new Error(msg.errorDetail?.message ?? msg.error)
    lines.push(msg.stream ?? msg.status ?? '')
  }
  return lines
}

/** Docker's multiplexed log stream (8-byte frame headers) to text, per frame. */
export function demux (buf: Buffer): Buffer {
  const parts: Buffer[] = []
  let i = 0
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4)
    parts.push(buf.subarray(i + 8, i + 8 + size))
    i += 8 + size
  }
  return Buffer.concat(parts)
}

export class DockerEngine {
  readonly target: EngineTarget
  private readonly docker: Docker

  constructor (target: EngineTarget = engineTarget()) {
    this.target = target
    this.docker = new Docker(target.socketPath !== undefined ? { socketPath: target.socketPath } : { host: target.host, port: target.port })
  }

  /** Fails with a DockerUnavailableError that names the address tried. */
  async ping (): Promise<{ version: string, apiVersion: string }> {
    try {
      const v = await this.docker.version()
      return { version: v.Version, apiVersion: v.ApiVersion }
    } catch (err) {
      throw new DockerUnavailableError(`cannot reach the Docker daemon at ${this.target.description}: ${(err as Error).message}. ` +
        'Start dockerd (or Docker Desktop), or point DOCKER_HOST at a running daemon, e.g. DOCKER_HOST=unix:///run/docker.sock')
    }
  }

  // --- images ---------------------------------------------------------------------------------

  async inspectImage (ref: string): Promise<ImageInfo | undefined> {
    try {
      const i = await this.docker.getImage(ref).inspect()
      return { id: i.Id, repoDigests: i.RepoDigests ?? [], repoTags: i.RepoTags ?? [], size: i.Size }
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw err
    }
  }

  async pullImage (ref: string): Promise<void> {
    await drainProgress(await this.docker.pull(ref))
  }

  /** `docker import`: a root filesystem tarball becomes an image. */
  async importImage (tar: Buffer, repo: string, tag: string, changes: string[]): Promise<void> {
    const body = new PassThrough()
    body.end(tar)
    await drainProgress(await this.docker.importImage(body, { repo, tag, changes } as object))
  }

  /** `docker load`: an image tarball (docker save / OCI layout); returns the loaded names. */
  async loadImage (stream: Readable): Promise<string[]> {
    const lines = await drainProgress(await this.docker.loadImage(stream))
    return lines.map(l => /Loaded image(?: ID)?: (\S+)/.exec(l)?.[1]).filter((s): s is string => s !== undefined)
  }

  // --- networks and volumes -------------------------------------------------------------------

  async listNetworks (labels: string[]): Promise<Array<{ id: string, name: string, labels: Record<string, string>, subnets: string[] }>> {
    const list = await this.docker.listNetworks({ filters: JSON.stringify({ label: labels }) })
    return list.map(n => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {}, subnets: (n.IPAM?.Config ?? []).map(c => c.Subnet ?? '') }))
  }

  async allNetworkSubnets (): Promise<Array<{ name: string, subnets: string[] }>> {
    const list = await this.docker.listNetworks()
    return list.map(n => ({ name: n.Name, subnets: (n.IPAM?.Config ?? []).map(c => c.Subnet ?? '') }))
  }

  async createNetwork (options: { name: string, subnet: string, gateway: string, labels: Record<string, string> }): Promise<string> {
    const n = await this.docker.createNetwork({
      Name: options.name, Driver: 'bridge', CheckDuplicate: true, Labels: options.labels,
      IPAM: { Driver: 'default', Config: [{ Subnet: options.subnet, Gateway: options.gateway }] },
    })
    return n.id
  }

  async removeNetwork (id: string): Promise<void> {
    await this.docker.getNetwork(id).remove().catch(err => { if (!isNotFound(err)) throw err })
  }

  async createVolume (name: string, labels: Record<string, string>, tmpfs: boolean): Promise<void> {
    await this.docker.createVolume({ Name: name, Labels: labels, ...(tmpfs ? { Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs' } } : {}) })
  }

  async listVolumes (labels: string[]): Promise<string[]> {
    const r = await this.docker.listVolumes({ filters: JSON.stringify({ label: labels }) })
    return (r.Volumes ?? []).map(v => v.Name)
  }

  async removeVolume (name: string): Promise<void> {
    await this.docker.getVolume(name).remove({ force: true }).catch(err => { if (!isNotFound(err)) throw err })
  }

  // --- containers -----------------------------------------------------------------------------

  /** Create from a raw Engine API body (ContainerCreate); returns the 64-hex ID. */
  async createContainer (name: string, body: Record<string, unknown>): Promise<string> {
    const c = await this.docker.createContainer({ name, ...body } as Docker.ContainerCreateOptions)
    return c.id
  }

  async startContainer (id: string): Promise<void> {
    await this.docker.getContainer(id).start().catch(err => { if ((err as { statusCode?: number }).statusCode !== 304) throw err })
  }

  /** SIGTERM (the image's stop signal), SIGKILL after `seconds`; resolves once it has exited. */
  async stopContainer (id: string, seconds: number): Promise<void> {
    await this.docker.getContainer(id).stop({ t: seconds }).catch(err => {
      const code = (err as { statusCode?: number }).statusCode
      if (code !== 304 && code !== 404) throw err
    })
  }

  async removeContainer (id: string): Promise<void> {
    await this.docker.getContainer(id).remove({ force: true, v: true }).catch(err => {
      const code = (err as { statusCode?: number }).statusCode
      // 409: removal already in progress.
      if (code !== 404 && code !== 409) throw err
    })
  }

  async inspectContainer (id: string): Promise<ContainerInfo | undefined> {
    try {
      const c = await this.docker.getContainer(id).inspect()
      const nets = Object.values(c.NetworkSettings?.Networks ?? {})
      return {
        id: c.Id,
        name: c.Name.replace(/^\//, ''),
        labels: c.Config.Labels ?? {},
        image: c.Config.Image,
        imageId: c.Image,
        created: c.Created,
        ip: nets[0]?.IPAddress || undefined,
        tty: c.Config.Tty === true,
        openStdin: c.Config.OpenStdin === true,
        state: {
          status: c.State.Status, running: c.State.Running, exitCode: c.State.ExitCode, oomKilled: c.State.OOMKilled,
          startedAt: c.State.StartedAt, finishedAt: c.State.FinishedAt, error: c.State.Error,
        },
      }
    } catch (err) {
      if (isNotFound(err)) return undefined
      throw err
    }
  }

  async listContainers (labels: string[]): Promise<Array<{ id: string, labels: Record<string, string>, state: string }>> {
    const list = await this.docker.listContainers({ all: true, filters: JSON.stringify({ label: labels }) })
    return list.map(c => ({ id: c.Id, labels: c.Labels ?? {}, state: c.State }))
  }

  /** Extract a tar archive into the container's filesystem at `path` (works before start). */
  async putArchive (id: string, path: string, tar: Buffer): Promise<void> {
    await this.docker.getContainer(id).putArchive(tar, { path })
  }

  /**
   * The log so far, raw Docker timestamps on (RFC 3339 nano), stdout and stderr merged (a
   * container with a TTY has one stream, not multiplexed).
   */
  async logs (id: string, options: { tail?: number, since?: number }): Promise<Buffer> {
    const tty = (await this.inspectContainer(id))?.tty === true
    const body = await this.docker.getContainer(id).logs({
      follow: false, stdout: true, stderr: true, timestamps: true,
      tail: options.tail === undefined ? 'all' : options.tail, since: options.since ?? 0,
    } as Docker.ContainerLogsOptions & { follow: false }) as unknown as Buffer
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body)
    return tty ? buf : demux(buf)
  }

  /** Follow the log: chunks with Docker timestamps (demultiplexed but for a TTY's), until the container stops. */
  async followLogs (id: string, options: { since?: number, tail?: number }): Promise<{ stream: Readable, close: () => void }> {
    const tty = (await this.inspectContainer(id))?.tty === true
    const raw = await this.docker.getContainer(id).logs({
      follow: true, stdout: true, stderr: true, timestamps: true, since: options.since ?? 0, tail: options.tail ?? 'all',
    } as Docker.ContainerLogsOptions & { follow: true }) as NodeJS.ReadableStream & { destroy?: () => void }
    const out = new PassThrough()
    if (tty) raw.on('data', (b: Buffer) => out.write(b))
    else this.docker.modem.demuxStream(raw, out, out)
    raw.on('end', () => out.end())
    raw.on('error', () => out.end())
    return { stream: out, close: () => { raw.destroy?.(); out.end() } }
  }

  async exec (id: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    const e = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true })
    const stream = await e.start({ hijack: true, stdin: false })
    const out = new PassThrough()
    this.docker.modem.demuxStream(stream, out, out)
    let output = ''
    out.on('data', (b: Buffer) => { output += b.toString('utf8') })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { stream.destroy(); reject(new Error(`command timed out after ${timeoutMs / 1000}s`)) }, timeoutMs)
      stream.on('end', () => { clearTimeout(timer); resolve() })
      stream.on('error', err => { clearTimeout(timer); reject(err) })
    })
    const info = await e.inspect()
    return { exitCode: info.ExitCode ?? -1, output }
  }

  /**
   * `docker exec` with its streams attached: the hijacked connection (stdin in; out, Docker's
   * multiplexed frames, or raw bytes with a TTY), the TTY's resize, and the exit code once the
   * process is gone (inspect can still say Running for a moment after the stream ends).
   */
  async execStart (id: string, cmd: string[], o: { stdin: boolean, stdout: boolean, stderr: boolean, tty: boolean }): Promise<HijackedExec> {
    const e = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdin: o.stdin, AttachStdout: o.stdout, AttachStderr: o.stderr, Tty: o.tty })
    const stream = await e.start({ hijack: true, stdin: o.stdin, Tty: o.tty }) as unknown as Duplex
    return {
      id: e.id,
      stream,
      resize: async (w, h) => { await e.resize({ w, h }) },
      exitCode: async () => {
        for (let i = 0; i < 100; i++) {
          const info = await e.inspect()
          if (info.Running !== true) return info.ExitCode ?? null
          await new Promise(resolve => setTimeout(resolve, 20))
        }
        return null
      },
    }
  }

  /**
   * `docker attach` to the main process from now on: stdin in (if asked), its output as
   * multiplexed frames, or raw bytes for a container with a TTY.
   */
  async attachStream (id: string, o: { stdin: boolean, stdout: boolean, stderr: boolean }): Promise<Duplex> {
    return await this.docker.getContainer(id).attach({ stream: true, logs: false, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr, hijack: true }) as unknown as Duplex
  }

  /** The TTY of a container created with one (`docker attach`'s resize). */
  async resizeContainer (id: string, width: number, height: number): Promise<void> {
    await this.docker.getContainer(id).resize({ w: width, h: height })
  }

  /** One sample: cumulative CPU, when Docker read it (ms since the epoch), and memory. */
  async stats (id: string): Promise<{ cpuTotalNs: number, readAt: number, systemNs: number, onlineCpus: number, memoryBytes: number, preCpuTotalNs: number, preSystemNs: number }> {
    const s = await this.docker.getContainer(id).stats({ stream: false, 'one-shot': true } as { stream: false }) as unknown as Docker.ContainerStats
    return {
      readAt: Date.parse(s.read),
      cpuTotalNs: s.cpu_stats.cpu_usage.total_usage,
      systemNs: s.cpu_stats.system_cpu_usage ?? 0,
      onlineCpus: s.cpu_stats.online_cpus ?? 1,
      preCpuTotalNs: s.precpu_stats.cpu_usage?.total_usage ?? 0,
      preSystemNs: s.precpu_stats.system_cpu_usage ?? 0,
      memoryBytes: s.memory_stats.usage ?? 0,
    }
  }

  /** Container events with these labels (die, oom, start…) as parsed JSON, until close(). */
  async events (labels: string[], onEvent: (e: { status: string, id: string, labels: Record<string, string> }) => void): Promise<() => void> {
    const stream = await this.docker.getEvents({ filters: JSON.stringify({ type: ['container'], label: labels }) } as object) as NodeJS.ReadableStream & { destroy: () => void }
    let rest = ''
    stream.on('data', (chunk: Buffer) => {
      rest += chunk.toString('utf8')
      let nl: number
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl)
        rest = rest.slice(nl + 1)
        if (line.trim() === '') continue
        try {
          const e = JSON.parse(line) as { status?: string, Action?: string, id?: string, Actor?: { ID?: string, Attributes?: Record<string, string> } }
          onEvent({ status: e.Action ?? e.status ?? '', id: e.Actor?.ID ?? e.id ?? '', labels: e.Actor?.Attributes ?? {} })
        } catch { /* a partial line: wait for the rest */ }
      }
    })
    stream.on('error', () => {})
    return () => stream.destroy()
  }
}
