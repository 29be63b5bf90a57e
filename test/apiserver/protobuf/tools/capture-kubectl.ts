// Captures real kubectl v1.32 request bodies as golden fixtures for the protobuf decoder:
//
//   npx node test/apiserver/protobuf/tools/capture-kubectl.ts
//
// Serves plain http on 127.0.0.1 (kubectl sends no credentials over http) with /version, legacy
// discovery and a few GETs the commands need; records every POST/PUT body. For each case the body
// goes to fixtures/protobuf/<name>.pb and, when kubectl can print the object with
// `--dry-run=client -o json`, that JSON goes to fixtures/protobuf/<name>.json. Cases without such a
// printer (auth can-i, create token, drain, ...) keep a hand-written <name>.json that this tool
// never overwrites. fixtures/protobuf/requests.json records what was sent for each case.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discovery } from './capture-discovery.ts';
import { CASES, GETS, writeInputFiles } from './capture-cases.ts';

const ROOT = join(import.meta.dirname, '../../../..');
const OUT = join(ROOT, 'fixtures/protobuf');
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

type Captured = { method: string; path: string; contentType: string; body: Buffer };
let captured: Captured[] = [];
let evicted = false;

/** apiVersion and kind from the runtime.Unknown envelope (field 1 {1: apiVersion, 2: kind}). */
function envelopeType(body: Buffer): { apiVersion: string; kind: string } {
  const fields = (buf: Buffer) => {
    const out = new Map<number, Buffer>();
    for (let i = 0; i < buf.length;) {
      const key = buf[i++];
      let len = 0;
      for (let shift = 0; ; shift += 7) { const b = buf[i++]; len |= (b & 0x7f) << shift; if (b < 0x80) break; }
      out.set(key >> 3, buf.subarray(i, i + len));
      i += len;
    }
    return out;
  };
  const typeMeta = fields(fields(body.subarray(4)).get(1) ?? Buffer.alloc(0));
  return { apiVersion: String(typeMeta.get(1) ?? ''), kind: String(typeMeta.get(2) ?? '') };
}

const isProtobuf = (c: Captured) => c.contentType === 'application/vnd.kubernetes.protobuf';

function reply(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function created(c: Captured): unknown {
  if (!c.contentType.includes('protobuf')) return JSON.parse(c.body.toString());
  const { apiVersion, kind } = envelopeType(c.body);
  const status: Record<string, unknown> = {
    SelfSubjectAccessReview: { allowed: true },
    SelfSubjectRulesReview: { resourceRules: [], nonResourceRules: [], incomplete: false },
    SelfSubjectReview: { userInfo: { username: 'system:anonymous' } },
    TokenRequest: { token: 'captured-token', expirationTimestamp: '2030-01-01T00:00:00Z' },
  };
  return { apiVersion, kind, metadata: { name: 'captured', namespace: 'default' }, status: status[kind] };
}

function handle(req: IncomingMessage, res: ServerResponse, address: string): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/version') return reply(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.3+k3s1', platform: 'linux/amd64' });
    const disco = req.method === 'GET' ? discovery(path, address) : undefined;
    if (disco) return reply(res, 200, disco);
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      const c = { method: req.method, path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) };
      if (req.method === 'PATCH') return reply(res, 200, GETS[path] ?? {});
      captured.push(c);
      if (path.endsWith('/eviction')) evicted = true;
      return reply(res, 201, created(c));
    }
    const obj = GETS[req.url ?? ''] ?? GETS[path];
    if (obj && !(evicted && path.endsWith('/pods/p1'))) return reply(res, 200, obj);
    return reply(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${path} not found` });
  });
}

/** Runs kubectl without blocking the event loop: the capture server answers it from this process. */
function kubectl(home: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const env = { ...process.env, HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { env, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? Number(err.code ?? 1) || 1 : 0, stdout, stderr: stderr || String(err ?? '') });
    });
  });
}

async function main(): Promise<void> {
  const server = createServer((req, res) => handle(req, res, `127.0.0.1:${(server.address() as { port: number }).port}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const home = mkdtempSync(join(tmpdir(), 'k3sim-capture-'));
  writeFileSync(join(home, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]`,
    'users: [{name: u, user: {}}]', 'contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]', '',
  ].join('\n'));
  const inputs = writeInputFiles(home);
  const requests: Record<string, unknown> = {};
  for (const c of CASES) {
    const args = c.args.map((a) => a.replace(/\{(\w+)\}/g, (_, k: string) => inputs[k]));
    captured = [];
    evicted = false;
    const run = await kubectl(home, args);
    if (run.status !== 0 && !c.mayFail) throw new Error(`kubectl ${args.join(' ')} failed: ${run.stderr}`);
    captured.forEach((cap, i) => {
      const name = i === 0 ? c.name : `${c.name}-${i + 1}`;
      if (isProtobuf(cap)) writeFileSync(join(OUT, `${name}.pb`), cap.body);
      requests[name] = { command: `kubectl ${c.args.join(' ')}`, method: cap.method, path: cap.path, contentType: cap.contentType };
    });
    if (!captured.length) requests[c.name] = { command: `kubectl ${c.args.join(' ')}`, error: run.stderr.trim() };
    // Commands that sent JSON (run, expose, drain's Eviction) are only recorded in requests.json.
    if (c.dryRun && captured.some(isProtobuf)) {
      const dash = args.includes('--') ? args.indexOf('--') : args.length; // flags go before `-- command`
      const dry = await kubectl(home, [...args.slice(0, dash), '--dry-run=client', '-o', 'json', ...args.slice(dash)]);
      if (dry.status !== 0) throw new Error(`dry run of ${c.name} failed: ${dry.stderr}`);
      writeFileSync(join(OUT, `${c.name}.json`), dry.stdout);
    }
    console.log(c.name, captured.map((x) => `${x.method} ${x.path} ${x.contentType}`).join(' | ') || run.stderr.trim());
  }
  writeFileSync(join(OUT, 'requests.json'), JSON.stringify(requests, null, 2) + '\n');
  server.close();
  rmSync(home, { recursive: true, force: true });
}

await main();
