#!/usr/bin/env node
// The published entry point runs the CLI bundled into one module (npm's `prepare` builds it:
// tsc to dist/, then scripts/bundle.ts to dist/bundle/).
import '../dist/bundle/k3sim.js'
