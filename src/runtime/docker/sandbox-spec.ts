// A pod's sandbox (its pause container) as a Docker ContainerCreate body: on the cluster's bridge
// at the pod IP, or, for a pod in the node's namespaces, in this host's (its network, its ports
// then on 127.0.0.1; its processes; its IPC). Its labels say where the pod's ports are reached
// and which process and IPC namespaces its containers join (labels.ts).
import type { SandboxConfig } from '../runtime.ts'
import { LABEL } from './labels.ts'
import { PAUSE_IMAGE } from './pause-image.ts'

export function sandboxBody (config: SandboxConfig, network: string, podLabels: Record<string, string>): Record<string, unknown> {
  const host = config.host ?? {}
  const labels = {
    ...podLabels, [LABEL.kind]: 'sandbox', [LABEL.container]: 'POD', [LABEL.podIP]: host.network === true ? '127.0.0.1' : config.ip,
    [LABEL.pidMode]: host.pid === true ? 'node' : config.shareProcessNamespace === true ? 'pod' : '', [LABEL.ipcMode]: host.ipc === true ? 'node' : 'pod',
  }
  return {
    Image: PAUSE_IMAGE,
    // Docker refuses a hostname with the host's network (the node's is the pod's then).
    ...(host.network === true ? {} : { Hostname: config.hostname.slice(0, 63) }),
    Labels: labels,
    StopSignal: 'SIGKILL',
    HostConfig: { NetworkMode: host.network === true ? 'host' : network, RestartPolicy: { Name: 'no' }, IpcMode: host.ipc === true ? 'host' : 'shareable', ...(host.pid === true ? { PidMode: 'host' } : {}) },
    ...(host.network === true ? {} : { NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: config.ip } } } } }),
  }
}
