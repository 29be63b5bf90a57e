// Golden tables for every printed resource: fixtures/printers/<group>.<resource>.json holds the
// column definitions and, per input case, the cells (and row conditions) the printer produced.
// UPDATE_GOLDEN=1 rewrites them; review the diff like code.
import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildTable, printedResources } from '../../../src/apiserver/printers/index.ts'
import { NOW } from './builders.ts'
import { type GoldenCase, coreCases } from './cases-core.ts'
import { workloadCases } from './cases-workloads.ts'
import { clusterCases } from './cases-cluster.ts'

const FIXTURES = fileURLToPath(new URL('../../../fixtures/printers/', import.meta.url))
const UPDATE = process.env.UPDATE_GOLDEN === '1'
const allCases: Record<string, GoldenCase[]> = { ...coreCases, ...workloadCases, ...clusterCases }

function goldenOf (key: string, cases: GoldenCase[]): { columnDefinitions: unknown, rows: unknown[] } {
  const [group, resource] = key.split('/')
  const table: any = buildTable({ group, resource, objects: cases.map(c => c.obj), now: NOW, includeObject: 'Object', resourceVersion: '100' })
  const rows = table.rows.map((row: any) => ({
    case: cases.find(c => c.obj === row.object)!.name,
    cells: row.cells,
    ...(row.conditions !== undefined ? { conditions: row.conditions } : {})
  }))
  return JSON.parse(JSON.stringify({ columnDefinitions: table.columnDefinitions, rows }))
}

/** One column definition or row per line, so diffs read cell by cell. */
function render (golden: { columnDefinitions: unknown, rows: unknown[] }): string {
  const lines = (items: unknown[]): string => items.map(i => `    ${JSON.stringify(i)}`).join(',\n')
  return `{\n  "columnDefinitions": [\n${lines(golden.columnDefinitions as unknown[])}\n  ],\n  "rows": [\n${lines(golden.rows)}\n  ]\n}\n`
}

describe('printers: golden tables', () => {
  it('covers every resource that has a printer', () => {
    const missing = printedResources.filter(key => !(key in allCases))
    assert.deepEqual(missing, [], 'add golden cases for these')
  })

  for (const [key, cases] of Object.entries(allCases)) {
    const [group, resource] = key.split('/')
    const file = `${FIXTURES}${group === '' ? 'core' : group}.${resource}.json`
    it(`${resource}${group === '' ? '' : '.' + group} prints as upstream (${cases.map(c => c.name).join('; ')})`, () => {
      const actual = goldenOf(key, cases)
      if (UPDATE) writeFileSync(file, render(actual))
      assert.ok(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`)
      assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')))
    })
  }
})
