// The Kubernetes release k3sim presents (k3s's v1.32 line). The kubectl on these machines is a
// dispatcher that picks its binary from major/minor, so these must say 1 and 32.
export const K3S_VERSION = 'v1.32.3+k3s1'

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: K3S_VERSION,
  gitCommit: '079ffa8d7c4c55a1ba1b6c2ebc1fb0f1b1a4e1a1',
  gitTreeState: 'clean',
  buildDate: '2025-03-12T15:37:57Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
}

/** What client-go in the k3s binary sends (rest.DefaultKubernetesUserAgent): its components' field manager is `k3s`. */
export const K3S_USER_AGENT = `k3s/${K3S_VERSION} (linux/amd64) kubernetes/${VERSION_INFO.gitCommit.slice(0, 7)}`
