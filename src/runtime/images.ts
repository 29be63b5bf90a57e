// Image references as containerd (and so k3s's `kubectl get pod -o yaml`) shows them, and the
// deterministic digests and sizes the fake runtime reports for them.
//
// Normalisation follows github.com/distribution/reference ParseNormalizedNamed + TagNameOnly,
// which the kubelet and containerd's CRI plugin both apply:
//   nginx                      → docker.io/library/nginx:latest
//   nginx:1.27                 → docker.io/library/nginx:1.27
//   myrepo/app                 → docker.io/myrepo/app:latest
//   ghcr.io/x/y:tag            → ghcr.io/x/y:tag
//   localhost:5000/app         → localhost:5000/app:latest
//   nginx@sha256:<hex>         → docker.io/library/nginx@sha256:<hex>   (no tag added to a digest)
// The first path component is a registry only if it has a '.' or ':' or is 'localhost'
// (distribution's splitDockerDomain); index.docker.io is folded into docker.io.
import { createHash } from 'node:crypto'
import { RuntimeError } from './runtime.ts'

export interface ImageName {
  /** Registry host, e.g. docker.io, ghcr.io, localhost:5000. */
  domain: string
  /** Repository path inside the registry, e.g. library/nginx. */
  path: string
  tag?: string
  /** algorithm:hex, e.g. sha256:<64 hex>. */
  digest?: string
  /** domain/path, e.g. docker.io/library/nginx (what imageID is built on). */
  repository: string
  /** The full normalised reference, e.g. docker.io/library/nginx:latest. */
  normalized: string
}

// distribution/reference's grammar (regexp.go), without IPv6 registry hosts.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/
const NAME_TOTAL_LENGTH_MAX = 255

/** The kubelet's message for a reference it cannot parse (reason InvalidImageName). */
function invalid (image: string, detail = 'invalid reference format'): RuntimeError {
  return new RuntimeError('InvalidImageName',
    `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${detail}`)
}

/** Parse and normalise; throws RuntimeError('InvalidImageName') as the kubelet would. */
export function parseImage (image: string): ImageName {
  let rest = image
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) throw invalid(image)
    if (digest.startsWith('sha256:') && digest.length !== 7 + 64) throw invalid(image, 'invalid checksum digest length')
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag)) throw invalid(image)
  }
  let domain = 'docker.io'
  let path = rest
  const slash = rest.indexOf('/')
  if (slash >= 0) {
    const first = rest.slice(0, slash)
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first
      path = rest.slice(slash + 1)
    }
  }
  if (!DOMAIN.test(domain)) throw invalid(image)
  if (domain === 'index.docker.io') domain = 'docker.io'
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`
  if (path.length === 0) throw invalid(image)
  for (const part of path.split('/')) {
    if (!COMPONENT.test(part)) {
      throw part.toLowerCase() !== part && COMPONENT.test(part.toLowerCase())
        ? invalid(image, `invalid reference format: repository name (${path}) must be lowercase`)
        : invalid(image)
    }
  }
  const repository = `${domain}/${path}`
  if (repository.length > NAME_TOTAL_LENGTH_MAX) throw invalid(image, 'repository name must not be more than 255 characters')
  // TagNameOnly: only a name with neither tag nor digest gets :latest.
  if (tag === undefined && digest === undefined) tag = 'latest'
  const normalized = repository + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '')
  return { domain, path, tag, digest, repository, normalized }
}

export function normalizeImage (image: string): string {
  return parseImage(image).normalized
}

function sha256 (text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/**
 * The repo digest containerd would report as imageID: the given digest when the reference has
 * one, else a digest derived from the normalised name (so nginx:1.27 and nginx:latest differ,
 * and every run and every node agree).
 */
export function imageRef (image: string): string {
  const name = parseImage(image)
  return `${name.repository}@${name.digest ?? `sha256:${sha256(`k3sim-image:${name.normalized}`)}`}`
}

// Compressed sizes of a few images people use in examples (the "Image size" of the Pulled
// event), so the numbers look familiar; anything else gets 5–150 MB from its hash.
const KNOWN_SIZES: Record<string, number> = {
  'docker.io/library/nginx': 72_000_000,
  'docker.io/library/busybox': 2_160_000,
  'docker.io/library/alpine': 3_650_000,
  'docker.io/library/redis': 45_000_000,
  'docker.io/library/postgres': 158_000_000,
  'docker.io/library/python': 390_000_000,
  'docker.io/library/node': 410_000_000,
  'docker.io/library/ubuntu': 29_700_000,
  'docker.io/library/debian': 48_500_000,
  'docker.io/rancher/mirrored-pause': 299_000,
  'docker.io/rancher/mirrored-coredns-coredns': 18_200_000,
  'registry.k8s.io/pause': 320_000,
}

/** A plausible, deterministic size in bytes (within ±5% of a known image's size). */
export function imageSize (image: string): number {
  const name = parseImage(image)
  const h = parseInt(sha256(`k3sim-size:${name.normalized}`).slice(0, 8), 16) / 0xffffffff
  const known = KNOWN_SIZES[name.repository]
  if (known !== undefined) return Math.round(known * (0.95 + 0.1 * h))
  return Math.round(5_000_000 + h * 145_000_000)
}
