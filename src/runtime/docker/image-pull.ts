// imagePullPolicy against the Docker image store: Never and IfNotPresent use what is there,
// Always (and a missing image) asks the daemon to pull. A failed pull is ErrImagePull with a
// message that says how to provide the image, since k3sim clusters often have no registry.
import { parseImage } from '../images.ts'
import { type NodeImage, type PullResult, RuntimeError } from '../runtime.ts'
import type { DockerEngine, ImageInfo } from './engine.ts'
import { isKlipperImage, KLIPPER_IMAGE_ID } from './klipper.ts'

/** containerd's imageID: a repo digest when the image came from a registry, else repo@<image ID>. */
export function imageRefOf (image: string, info: ImageInfo): string {
  const name = parseImage(image)
  const digest = info.repoDigests.map(d => d.split('@')[1]).find(d => d !== undefined)
  return `${name.repository}@${digest ?? info.id}`
}

export interface PullContext {
  engine: DockerEngine
  cluster: string
  now: () => number
}

export async function pullImage (ctx: PullContext, image: string, pullPolicy: string, onPull?: () => void): Promise<PullResult> {
  const name = parseImage(image)
  if (isKlipperImage(image)) return { imageRef: `${name.repository}@${KLIPPER_IMAGE_ID}`, size: 0, durationMs: 0, cached: true }
  const present = await ctx.engine.inspectImage(name.normalized)
  if (present !== undefined && pullPolicy !== 'Always') return { imageRef: imageRefOf(image, present), size: present.size, durationMs: 0, cached: true }
  if (present === undefined && pullPolicy === 'Never') {
    throw new RuntimeError('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`)
  }
  const started = ctx.now()
  onPull?.()
  try {
    await ctx.engine.pullImage(name.normalized)
  } catch (err) {
    const hint = present !== undefined
      ? `the image is in the Docker image store: set imagePullPolicy: IfNotPresent to use it without a registry`
      : `provide it with \`k3sim image import ${image} -c ${ctx.cluster}\` (an image tarball or an image already in Docker) or \`docker pull ${image}\` on the Docker host`
    throw new RuntimeError('ErrImagePull', `failed to pull and unpack image "${name.normalized}": ${(err as Error).message.trim()}; ${hint}`)
  }
  const pulled = await ctx.engine.inspectImage(name.normalized)
  if (pulled === undefined) throw new RuntimeError('ErrImagePull', `failed to pull image "${name.normalized}": not found after the pull`)
  return { imageRef: imageRefOf(image, pulled), size: pulled.size, durationMs: ctx.now() - started, cached: false }
}

/**
 * The images one node pulled. The Docker daemon is shared by every node of the cluster, where a
 * k3d node's containerd has its own: a node lists what it pulled, as the daemon describes it now.
 */
export class NodeImages {
  private readonly names = new Set<string>()
  private readonly ctx: PullContext

  constructor (ctx: PullContext) { this.ctx = ctx }

  async pull (image: string, pullPolicy: string, onPull?: () => void): Promise<PullResult> {
    const result = await pullImage(this.ctx, image, pullPolicy, onPull)
    this.names.add(parseImage(image).normalized)
    return result
  }

  async list (): Promise<NodeImage[]> {
    const seen = new Map<string, NodeImage>()
    for (const ref of this.names) {
      const info = await this.ctx.engine.inspectImage(ref)
      if (info !== undefined) seen.set(info.id, { repoDigests: info.repoDigests, repoTags: info.repoTags, size: info.size })
    }
    return [...seen.values()]
  }
}
