// Log cases of the Runtime contract: what `kubectl logs` options do (the kubelet's order: tail
// first, then sinceTime, then timestamps, then limitBytes) and what `kubectl logs -f` streams.
import assert from 'node:assert/strict'
import type { Case } from './contract.ts'
import { setUp } from './contract-support.ts'

const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (.*)$/

export function logCases (it_: Case): void {
  describe('logs', () => {
    it_('returns the lines written at start, one per line, newline-terminated', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'serve', logs: ['alpha', 'beta', 'gamma'] }))
      assert.equal(await h.runtime.containerLogs(id), 'alpha\nbeta\ngamma\n')
    })

    it_('honours tailLines (0 = nothing, negative = everything)', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'serve', logs: ['alpha', 'beta', 'gamma'] }))
      assert.equal(await h.runtime.containerLogs(id, { tailLines: 2 }), 'beta\ngamma\n')
      assert.equal(await h.runtime.containerLogs(id, { tailLines: 0 }), '')
      assert.equal(await h.runtime.containerLogs(id, { tailLines: -1 }), 'alpha\nbeta\ngamma\n')
      assert.equal(await h.runtime.containerLogs(id, { tailLines: 10 }), 'alpha\nbeta\ngamma\n')
    })

    it_('prefixes RFC 3339 timestamps with nine fractional digits, as kubectl --timestamps shows', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'serve', logs: ['alpha', 'beta'] }))
      const lines = (await h.runtime.containerLogs(id, { timestamps: true })).trimEnd().split('\n')
      assert.deepEqual(lines.map(l => TIMESTAMPED.exec(l)?.[1]), ['alpha', 'beta'])
    })

    it_('cuts the output at limitBytes, mid-line if need be', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'serve', logs: ['alpha', 'beta'] }))
      assert.equal(await h.runtime.containerLogs(id, { limitBytes: 8 }), 'alpha\nbe')
    })

    it_('keeps only lines written at or after sinceTime', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'log-every', intervalMs: 1000, line: 'tick {n}' }))
      await h.advance(3500)
      const all = (await h.runtime.containerLogs(id, { timestamps: true })).trimEnd().split('\n')
      assert.ok(all.length >= 3, all.join('|'))
      const since = Date.parse(all[all.length - 2].split(' ')[0])
      const out = (await h.runtime.containerLogs(id, { sinceTime: since })).trimEnd().split('\n')
      assert.deepEqual(out, all.slice(-2).map(l => l.split(' ').slice(1).join(' ')))
    })

    it_('follows: sends what is there, then each new line, until stopped', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'log-every', intervalMs: 1000, line: 'tick {n}' }))
      await h.advance(1500)
      const chunks: string[] = []
      const stop = h.runtime.followLogs(id, c => chunks.push(c))
      // The stream opens in the background (a microtask for the fake, a request for Docker).
      await h.advance(100)
      assert.equal(chunks.join(''), 'tick 1\n')
      await h.advance(2000)
      assert.equal(chunks.join(''), 'tick 1\ntick 2\ntick 3\n')
      stop()
      await h.advance(2000)
      assert.equal(chunks.join(''), 'tick 1\ntick 2\ntick 3\n')
    })

    it_('follows with tailLines 0: only new lines', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'log-every', intervalMs: 1000, line: 'tick {n}' }))
      await h.advance(2500)
      const chunks: string[] = []
      const stop = h.runtime.followLogs(id, c => chunks.push(c), { tailLines: 0 })
      await h.advance(1000)
      stop()
      assert.equal(chunks.join(''), 'tick 3\n')
    })

    it_('ends a follow when the container exits, after its last lines', async (h, need) => {
      const { id } = await setUp(h, need({ kind: 'exit', afterMs: 1000, exitCode: 0, logs: ['only line'] }))
      const chunks: string[] = []
      h.runtime.followLogs(id, c => chunks.push(c))
      await h.advance(2000)
      assert.equal((await h.runtime.containerStatus(id)).state, 'exited')
      assert.equal(chunks.join(''), 'only line\n')
      assert.equal(await h.runtime.containerLogs(id), 'only line\n', 'an exited container keeps its log')
    })
  })
}
