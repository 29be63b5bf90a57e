#!/usr/bin/env node
// The `k3sim` command line (bin/k3sim.js runs the compiled copy; `npm run k3sim` this one).
// One file per command; each exports a commander Command that is added below.
import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { imageCommand } from './image.ts'
import { kineCommand } from './kine.ts'
import { serverCommand } from './server.ts'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

const program = new Command('k3sim')
  .description('a k3s cluster emulated inside one Node.js process')
  .version(pkg.version)
  .showHelpAfterError()

program.addCommand(kineCommand())
program.addCommand(serverCommand())
program.addCommand(imageCommand())

await program.parseAsync(process.argv)
