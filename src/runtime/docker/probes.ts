// Probes of a real container, as the kubelet's prober runs them: exec in the container (exit 0),
// HTTP GET to the pod IP (200–399), TCP connect to the pod IP. Named ports resolve through the
// container's ports. A failure says why, as `kubectl describe` shows it.
import { request } from 'node:http'
import { connect } from 'node:net'
import type { ContainerPort, ProbeHandler } from '../runtime.ts'
import type { DockerEngine } from './engine.ts'

export interface ProbeTarget { engine: DockerEngine, containerId: string, podIP: string, ports: ContainerPort[] }

type Answer = { success: boolean, message?: string }

function portOf (port: number | string, ports: ContainerPort[]): number | undefined {
  if (typeof port === 'number') return port
  if (/^\d+$/.test(port)) return Number(port)
  return ports.find(p => p.name === port)?.containerPort
}

function httpProbe (host: string, port: number, h: NonNullable<ProbeHandler['httpGet']>, timeoutMs: number): Promise<Answer> {
  return new Promise(resolve => {
    const headers = Object.fromEntries((h.httpHeaders ?? []).map(x => [x.name, x.value]))
    const req = request({ host, port, path: h.path ?? '/', method: 'GET', headers: { 'User-Agent': 'kube-probe/1.32', ...headers }, timeout: timeoutMs }, res => {
      res.resume()
      const code = res.statusCode ?? 0
      resolve(code >= 200 && code < 400 ? { success: true } : { success: false, message: `HTTP probe failed with statuscode: ${code}` })
    })
    req.on('timeout', () => { req.destroy(); resolve({ success: false, message: `Get "http://${host}:${port}${h.path ?? '/'}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` }) })
    req.on('error', err => resolve({ success: false, message: `Get "http://${host}:${port}${h.path ?? '/'}": ${err.message}` }))
    req.end()
  })
}

function tcpProbe (host: string, port: number, timeoutMs: number): Promise<Answer> {
  return new Promise(resolve => {
    const s = connect({ host, port, timeout: timeoutMs })
    s.once('connect', () => { s.destroy(); resolve({ success: true }) })
    s.once('timeout', () => { s.destroy(); resolve({ success: false, message: `dial tcp ${host}:${port}: i/o timeout` }) })
    s.once('error', err => resolve({ success: false, message: `dial tcp ${host}:${port}: ${err.message}` }))
  })
}

export async function runProbe (t: ProbeTarget, h: ProbeHandler | undefined): Promise<Answer> {
  if (h === undefined) return { success: true }
  const timeoutMs = (h.timeoutSeconds ?? 1) * 1000
  if (h.exec !== undefined) {
    try {
      const r = await t.engine.exec(t.containerId, h.exec.command ?? [], timeoutMs)
      return r.exitCode === 0 ? { success: true } : { success: false, message: r.output.trim() || `command exited with ${r.exitCode}` }
    } catch (err) {
      return { success: false, message: (err as Error).message }
    }
  }
  const spec = h.httpGet ?? h.tcpSocket
  if (spec === undefined) return { success: true }
  const port = portOf(spec.port, t.ports)
  if (port === undefined) return { success: false, message: `port "${spec.port}" is not a named port of the container` }
  const host = spec.host ?? t.podIP
  return h.httpGet !== undefined ? httpProbe(host, port, h.httpGet, timeoutMs) : tcpProbe(host, port, timeoutMs)
}
