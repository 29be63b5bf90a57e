// `k3sim image import IMAGE-OR-TARBALL... -c CLUSTER` (k3d's `image import`): makes images
// available to a docker-runtime cluster without a registry. A file is loaded into Docker
// (`docker save` tarballs); a name must already be in Docker's image store. The cluster is
// found by its Docker network (k3sim-<name>, labelled); the imported names are recorded in its
// data dir (images.json), as k3s keeps its airgap image list.
import { Command } from 'commander'
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { normalizeImage } from '../runtime/images.ts'
import { log } from './output.ts'

async function importImages (images: string[], cluster: string): Promise<void> {
  // Loaded here: dockerode (and ssh2 under it) is not for the other commands to load.
  const { DockerEngine, LABEL } = await import('../runtime/docker/index.ts')
  const engine = new DockerEngine()
  await engine.ping()
  const [network] = await engine.listNetworks([`${LABEL.cluster}=${cluster}`])
  if (network === undefined) {
    throw new Error(`cluster '${cluster}' is not running with the docker runtime (no Docker network k3sim-${cluster} at ${engine.target.description}); ` +
      `start it with \`k3sim server --runtime docker --cluster-name ${cluster}\``)
  }
  log.info(`Importing image(s) into cluster '${cluster}'`)
  const imported: string[] = []
  for (const arg of images) {
    if (existsSync(arg) && statSync(arg).isFile()) {
      log.info(`Loading images from tarball '${arg}'`)
      const names = await engine.loadImage(createReadStream(arg))
      if (names.length === 0) throw new Error(`'${arg}' holds no tagged image (make it with \`docker save IMAGE -o FILE\`)`)
      imported.push(...names.map(n => n.startsWith('sha256:') ? n : normalizeImage(n)))
      continue
    }
    const name = normalizeImage(arg)
    if (await engine.inspectImage(name) === undefined) {
      throw new Error(`image '${arg}' is not in the Docker image store at ${engine.target.description}: \`docker pull ${arg}\` it first, or pass a tarball made with \`docker save\``)
    }
    imported.push(name)
  }
  const dataDir = network.labels[LABEL.dataDir]
  if (dataDir !== undefined && existsSync(dataDir)) {
    const file = join(dataDir, 'images.json')
    const before = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as string[] : []
    writeFileSync(file, JSON.stringify([...new Set([...before, ...imported])].sort(), null, 2) + '\n')
  }
  log.info(`Successfully imported ${imported.length} image(s) into 1 cluster(s)`)
}

export function imageCommand (): Command {
  const image = new Command('image').description('manage images of docker-runtime clusters')
    .addHelpText('after', '\nExamples:\n  $ k3sim image import nginx:1.27 -c dev')
  image.command('import')
    .alias('load')
    .description('make images (names in Docker\'s image store, or `docker save` tarballs) available to a docker-runtime cluster')
    .argument('<image-or-tarball...>')
    .option('-c, --cluster <name>', 'the cluster', 'k3s-default')
    .addHelpText('after', '\nExamples:\n  $ k3sim image import nginx:1.27 -c dev      # after docker pull nginx:1.27\n  $ k3sim image import ./images.tar -c dev     # a `docker save` tarball')
    .action(async (images: string[], o: { cluster: string }) => {
      try {
        await importImages(images, o.cluster)
      } catch (err) {
        console.error(`Error: ${(err as Error).message}`)
        process.exitCode = 1
      }
    })
  return image
}
