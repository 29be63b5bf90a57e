#!/usr/bin/env node
// The `k3sim` command line (bin/k3sim.js runs the compiled copy; `npm run k3sim` this one).
// One file per command (or per noun); each exports a commander Command that is added below.
import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { enableCompileCache } from 'node:module'
import { K3S_VERSION } from '../api/version.ts'
import { clusterCommand } from './cluster.ts'
import { completionCommand } from './completion.ts'
import { imageCommand } from './image.ts'
import { kineCommand } from './kine.ts'
import { kubeconfigCommand } from './kubeconfig.ts'
import { nodeCommand } from './node.ts'
import { exitQuietlyOnClosedPipe } from './output.ts'
import { serverCommand } from './server.ts'
import { packagePath } from '../util/package-path.ts'

// V8's code cache on disk (os.tmpdir()/node-compile-cache): a cluster process loads the whole
// cluster (its commands import it lazily, after this) in about half the CPU time.
enableCompileCache()
exitQuietlyOnClosedPipe()

const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }

const program = new Command('k3sim')
  .description('a k3s cluster emulated inside one Node.js process, with k3d\'s commands')
  .version(pkg.version)
  .showHelpAfterError()
  .addHelpText('after', `
Examples:
  $ k3sim cluster create dev --agents 2     # a cluster in ~1 s; kubectl context k3sim-dev
  $ kubectl get nodes
  $ k3sim node create extra -c dev
  $ k3sim cluster stop dev && k3sim cluster start dev
  $ k3sim cluster delete dev
  $ k3sim server --data-dir ./data          # foreground, like k3s server`)

program.addCommand(clusterCommand())
program.addCommand(nodeCommand())
program.addCommand(kubeconfigCommand())
program.addCommand(serverCommand())
program.addCommand(kineCommand())
program.addCommand(imageCommand())
program.addCommand(new Command('version')
  .description('print k3sim\'s version and the k3s version it emulates')
  .addHelpText('after', '\nExamples:\n  $ k3sim version')
  .action(() => { console.log(`k3sim version v${pkg.version}\nk3s version ${K3S_VERSION} (emulated)`) }))
program.addCommand(completionCommand(program))

// Every command's --help shows its sub-commands' usage errors with help, as the root does.
const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)]
for (const c of all(program)) c.showHelpAfterError()

await program.parseAsync(process.argv)
