// The kubelet's /configz: `{"kubeletconfig":{…}}`, its KubeletConfiguration (v1beta1 field
// order, Go's json.Marshal) as k3s v1.32.3 configures it — the flag defaults (hence
// readOnlyPort 10255, which k3s only turned off in v1.32.4), merged with the drop-in k3s writes
// (00-k3s-defaults.conf: cgroupfs in a container as k3d's nodes are, the generated resolv.conf a
// container's loopback DNS calls for, 5 % eviction thresholds, webhook authn/authz, 10.43.0.10).
// The opening fields to readOnlyPort are from a captured v1.32.3+k3s1 dump; the rest is built
// from the v1.32 types and k3s's agent code, not captured whole (evictionHard's merge with the
// flag defaults and crashLoopBackOff's `{}` are inferred).
import { goJSON } from '../apiserver/schemas/go-values.ts'
import type { NodeIdentity } from './node-object.ts'

const AGENT = '/var/lib/rancher/k3s/agent'

export function kubeletConfigz (identity: NodeIdentity): string {
  return goJSON({ kubeletconfig: kubeletConfiguration(identity) })
}

function kubeletConfiguration (identity: NodeIdentity): Record<string, unknown> {
  return {
    enableServer: true,
    staticPodPath: `${AGENT}/pod-manifests`,
    podLogsDir: '/var/log/pods',
    syncFrequency: '1m0s',
    fileCheckFrequency: '20s',
    httpCheckFrequency: '20s',
    address: '0.0.0.0',
    port: 10250,
    readOnlyPort: 10255,
    tlsCertFile: `${AGENT}/serving-kubelet.crt`,
    tlsPrivateKeyFile: `${AGENT}/serving-kubelet.key`,
    authentication: { x509: { clientCAFile: `${AGENT}/client-ca.crt` }, webhook: { enabled: true, cacheTTL: '2m0s' }, anonymous: { enabled: false } },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
    registryPullQPS: 5,
    registryBurst: 10,
    eventRecordQPS: 50,
    eventBurst: 100,
    enableDebuggingHandlers: true,
    healthzPort: 10248,
    healthzBindAddress: '127.0.0.1',
    oomScoreAdj: -999,
    clusterDomain: 'cluster.local',
    clusterDNS: ['10.43.0.10'],
    streamingConnectionIdleTimeout: '4h0m0s',
    nodeStatusUpdateFrequency: '10s',
    nodeStatusReportFrequency: '5m0s',
    nodeLeaseDurationSeconds: 40,
    imageMinimumGCAge: '2m0s',
    imageMaximumGCAge: '0s',
    imageGCHighThresholdPercent: 85,
    imageGCLowThresholdPercent: 80,
    volumeStatsAggPeriod: '1m0s',
    cgroupsPerQOS: true,
    cgroupDriver: 'cgroupfs',
    cpuManagerPolicy: 'none',
    cpuManagerReconcilePeriod: '10s',
    memoryManagerPolicy: 'None',
    topologyManagerPolicy: 'none',
    topologyManagerScope: 'container',
    runtimeRequestTimeout: '2m0s',
    hairpinMode: 'promiscuous-bridge',
    maxPods: identity.pods,
    podPidsLimit: -1,
    resolvConf: `${AGENT}/etc/resolv.conf`,
    cpuCFSQuota: true,
    cpuCFSQuotaPeriod: '100ms',
    nodeStatusMaxImages: 50,
    maxOpenFiles: 1000000,
    contentType: 'application/vnd.kubernetes.protobuf',
    kubeAPIQPS: 50,
    kubeAPIBurst: 100,
    serializeImagePulls: false,
    evictionHard: { 'imagefs.available': '5%', 'imagefs.inodesFree': '5%', 'memory.available': '100Mi', 'nodefs.available': '5%', 'nodefs.inodesFree': '5%' },
    evictionPressureTransitionPeriod: '5m0s',
    evictionMinimumReclaim: { 'imagefs.available': '10%', 'nodefs.available': '10%' },
    enableControllerAttachDetach: true,
    makeIPTablesUtilChains: true,
    iptablesMasqueradeBit: 14,
    iptablesDropBit: 15,
    failSwapOn: false,
    memorySwap: {},
    containerLogMaxSize: '10Mi',
    containerLogMaxFiles: 5,
    containerLogMaxWorkers: 1,
    containerLogMonitorInterval: '10s',
    configMapAndSecretChangeDetectionStrategy: 'Watch',
    enforceNodeAllocatable: ['pods'],
    allowedUnsafeSysctls: ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'],
    volumePluginDir: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/',
    logging: { format: 'text', flushFrequency: '5s', verbosity: 0, options: { text: { infoBufferSize: '0' }, json: { infoBufferSize: '0' } } },
    enableSystemLogHandler: true,
    enableSystemLogQuery: false,
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    crashLoopBackOff: {},
    enableProfilingHandler: true,
    enableDebugFlagsHandler: true,
    seccompDefault: false,
    memoryThrottlingFactor: 0.9,
    registerNode: true,
    localStorageCapacityIsolation: true,
    containerRuntimeEndpoint: 'unix:///run/k3s/containerd/containerd.sock',
    failCgroupV1: false,
  }
}
