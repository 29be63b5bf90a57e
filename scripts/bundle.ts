// `npm run build` (after tsc): the CLI as one ES module, dist/bundle/k3sim.js, which bin/k3sim.js
// runs, and the PKI worker beside it. One file instead of ~400 of k3sim's modules and ~150 of its
// dependencies' takes module resolution and linking (~130 ms) out of every cluster process's
// start. dockerode stays a package import: only the docker runtime loads it, and its ssh2
// dependency has native parts.
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))

await build({
  absWorkingDir: root,
  entryPoints: { k3sim: 'src/cli/main.ts', 'pki-worker': 'src/cluster/pki-worker.ts', 'checkpoint-worker': 'src/store/sqlite/checkpoint-worker.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  keepNames: true,
  external: ['dockerode'],
  // The CommonJS dependencies bundled into an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __k3simCreateRequire } from 'node:module'; const require = __k3simCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
})
