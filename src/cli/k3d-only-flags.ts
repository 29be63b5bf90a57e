// k3d flags that have no meaning in k3sim (its nodes are not containers, it runs no registry or
// load-balancer container, and it emulates one pinned k3s). Rather than commander's generic
// "unknown option", each is taken (hidden from --help) so that its refusal can say why and what
// to use instead. `-i/--image` alone is accepted, for a k3s image only, with a warning that it
// is not used, so k3d command lines that pin a k3s version still run.
import { Command, Option } from 'commander'
import { K3S_VERSION } from '../api/version.ts'
import { CliError, log } from './output.ts'

/** commander flags → why k3sim refuses them. */
export type Refusals = Record<string, string>

const NOT_CONTAINERS = 'k3sim\'s nodes are not containers'

export const CLUSTER_CREATE_REFUSALS: Refusals = {
  '--network <name>': `${NOT_CONTAINERS}, so there is no Docker network to join: a cluster is one process serving on 127.0.0.1 (see --api-port)`,
  '--token <token>': 'k3sim\'s nodes join inside the cluster process, without a join token; to reach the cluster use its admin kubeconfig (`k3sim kubeconfig get NAME`)',
  '-e, --env <KEY=VALUE@NODEFILTER>': `${NOT_CONTAINERS} with an environment of their own; set a pod's environment in its spec`,
  '-v, --volume <SRC:DEST@NODEFILTER>': `${NOT_CONTAINERS} to mount into; for k3s's auto-deploy directory (/var/lib/rancher/k3s/server/manifests) use --manifests DIR`,
  '--no-lb': 'k3sim runs no load-balancer container to leave out: the cluster process serves the API itself, and with the docker runtime forwards the -p ...@loadbalancer ports',
  '--no-rollback': 'k3sim always rolls a failed create back, so nothing half-made is left; the error shows why it failed',
  '--registry-create <NAME[:HOST][:HOSTPORT]>': 'k3sim runs no registries: the fake runtime pulls no images, and the docker runtime uses Docker\'s image store (add images with `k3sim image import IMAGE -c CLUSTER`)',
}

/** Add the refused flags to `cmd`, hidden from its help. */
export function addRefusedOptions (cmd: Command, refusals: Refusals): Command {
  for (const flags of Object.keys(refusals)) cmd.addOption(new Option(flags).hideHelp())
  return cmd
}

/** Refuse the first of the flags that was given on the command line, saying why. */
export function refuseGiven (cmd: Command, refusals: Refusals): void {
  for (const [flags, why] of Object.entries(refusals)) {
    const option = new Option(flags)
    if (cmd.getOptionValueSource(option.attributeName()) === 'cli') throw new CliError(`not supported by k3sim: ${option.long}: ${why}`)
  }
}

// [REGISTRY/][docker.io/]rancher/k3s[:TAG][@sha256:DIGEST], or k3d's channel names.
const K3S_IMAGE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?rancher\/k3s(?::([\w][\w.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/

/**
 * `-i/--image`: a k3s image is noted and not used (k3sim is its own k3s, pinned); k3d's channel
 * names `latest` and `stable` likewise. Anything else is refused: it could not be what the user
 * means by a k3s node.
 */
export function checkImage (image: string | undefined): void {
  if (image === undefined) return
  const m = K3S_IMAGE.exec(image)
  if (m === null && image !== 'latest' && image !== 'stable') {
    throw new CliError(`--image "${image}" is not a k3s image: k3sim emulates k3s ${K3S_VERSION} itself and runs no node image, so --image takes only a k3s image reference (rancher/k3s[:TAG]), which it ignores; leave --image out`)
  }
  if (m?.[1] === K3S_VERSION.replace('+', '-')) return // the very version k3sim emulates
  log.warn(`k3sim emulates k3s ${K3S_VERSION} (its own pinned version) and runs no node image: --image ${image} is not used`)
}
