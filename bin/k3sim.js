#!/usr/bin/env node
// The published entry point runs the compiled CLI (npm's `prepare` builds dist/).
import '../dist/cli/main.js'
