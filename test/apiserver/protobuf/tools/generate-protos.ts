// Regenerates proto/k8s/**/generated.proto and src/apiserver/protobuf/go-json.generated.ts from the
// kubectl binary we emulate for (its built-in v1.32 client):
//
//   npx node test/apiserver/protobuf/tools/generate-protos.ts [/path/to/kubectl]
//
// The .proto files are upstream's generated.proto message definitions (Apache-2.0, The Kubernetes
// Authors) rebuilt from the embedded descriptors, trimmed to the messages reachable from
// PROTOBUF_KINDS, without comments and with only the gogoproto `nullable` option kept. The JSON
// tables (fields without `omitempty`, `json:",inline"` embeds, JSON names that differ from the
// protobuf names) come from the Go structs in the binary's reflection metadata (go-struct-tags.ts),
// which are also checked against the descriptors: a Go pointer must be a nullable field. Any
// mismatch aborts without writing the tables.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DELETE_OPTIONS, PROTOBUF_KINDS } from '../../../../src/apiserver/protobuf/kinds.ts';
import { SPECIAL_TYPES } from '../../../../src/apiserver/protobuf/special-types.ts';
import { readKubectlDescriptors, type FieldDescriptor, type FileDescriptor, type MessageDescriptor } from './kubectl-descriptors.ts';
import { readGoStructs, type GoField, type GoStruct } from './go-struct-tags.ts';

const KUBECTL = process.argv[2] ?? '/usr/lib/google-cloud-sdk/bin/kubectl';
const ROOT = join(import.meta.dirname, '../../../..');
const EXTRA_ROOTS = ['k8s.io.apimachinery.pkg.runtime.Unknown', 'k8s.io.apimachinery.pkg.runtime.RawExtension'];

const LICENSE = `/*
Copyright The Kubernetes Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/
`;

const SCALAR: Record<string, string> = {
  TYPE_STRING: 'string', TYPE_BYTES: 'bytes', TYPE_BOOL: 'bool', TYPE_INT32: 'int32', TYPE_INT64: 'int64',
  TYPE_UINT32: 'uint32', TYPE_UINT64: 'uint64', TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float',
  TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64', TYPE_FIXED32: 'fixed32', TYPE_FIXED64: 'fixed64',
};

type Indexed = { file: FileDescriptor; msg: MessageDescriptor };

function index(files: Map<string, FileDescriptor>): Map<string, Indexed> {
  const byName = new Map<string, Indexed>();
  for (const file of files.values()) {
    for (const msg of file.messageType ?? []) byName.set(`${file.package}.${msg.name}`, { file, msg });
  }
  return byName;
}

function mapEntry(msg: MessageDescriptor, f: FieldDescriptor): MessageDescriptor | undefined {
  if (f.type !== 'TYPE_MESSAGE' || f.label !== 'LABEL_REPEATED') return undefined;
  const nested = msg.nestedType?.find((n) => f.typeName?.endsWith(`.${msg.name}.${n.name}`));
  return nested?.options?.mapEntry ? nested : undefined;
}

function closure(byName: Map<string, Indexed>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop()!;
    if (seen.has(name)) continue;
    const entry = byName.get(name);
    if (!entry) throw new Error(`message ${name} not found in kubectl's descriptors`);
    seen.add(name);
    for (const f of entry.msg.field ?? []) {
      const fields = mapEntry(entry.msg, f)?.field ?? [f];
      for (const g of fields) if (g.type === 'TYPE_MESSAGE') todo.push(g.typeName!.slice(1));
    }
  }
  return seen;
}

function fieldType(msg: MessageDescriptor, f: FieldDescriptor): string {
  const entry = mapEntry(msg, f);
  if (entry) {
    const [k, v] = entry.field!;
    return `map<${SCALAR[k.type]}, ${v.type === 'TYPE_MESSAGE' ? v.typeName : SCALAR[v.type]}>`;
  }
  return f.type === 'TYPE_MESSAGE' ? f.typeName! : SCALAR[f.type];
}

function renderFile(file: FileDescriptor, keep: Set<string>, byName: Map<string, Indexed>): string {
  const msgs = (file.messageType ?? []).filter((m) => keep.has(`${file.package}.${m.name}`));
  const deps = new Set<string>();
  const body: string[] = [];
  for (const msg of msgs) {
    body.push(`message ${msg.name} {`);
    for (const f of msg.field ?? []) {
      const type = fieldType(msg, f);
      for (const m of type.matchAll(/\.([\w.]+)/g)) {
        const dep = byName.get(m[1])?.file.name;
        if (dep && dep !== file.name) deps.add(dep);
      }
      const label = type.startsWith('map<') ? '' : f.label === 'LABEL_REPEATED' ? 'repeated ' : 'optional ';
      const opt = f.options?.gogo_nullable === false && f.label !== 'LABEL_REPEATED' ? ' [(gogoproto.nullable) = false]' : '';
      body.push(`  ${label}${type} ${f.name} = ${f.number}${opt};`);
    }
    body.push('}', '');
  }
  return [
    LICENSE,
    `// ${file.name}, rebuilt by test/apiserver/protobuf/tools/generate-protos.ts`,
    '// from the descriptor kubectl v1.32.4 embeds (k8s.io/api v0.32). Upstream comments are not in the',
    '// descriptor; only messages reachable from src/apiserver/protobuf/kinds.ts are kept; of the',
    '// gogoproto options only `nullable = false` (a Go value field, not a pointer) is kept, as an',
    '// unresolved plain option. Do not edit: re-run the generator.',
    '',
    "syntax = 'proto2';",
    '',
    `package ${file.package};`,
    '',
    ...(deps.size ? [...[...deps].sort().map((d) => `import "${d}";`), ''] : []),
    ...body,
  ].join('\n');
}

/** The Go struct a message was generated from: same package path, same type name. */
function goStructOf(messageName: string, structs: Map<string, GoStruct>): GoStruct | undefined {
  const dot = messageName.lastIndexOf('.');
  const pkg = messageName.slice(0, dot).replace(/^k8s\.io\./, 'k8s.io/').replace(/(?<=^k8s\.io\/.*)\./g, '/');
  return structs.get(`${pkg}|${pkg.slice(pkg.lastIndexOf('/') + 1)}.${messageName.slice(dot + 1)}`);
}

type ParsedField = { number: number; name: string; json: string; kind: string };

function parseGoField(g: GoField): ParsedField {
  const pb = /protobuf:"[a-z0-9]+,(\d+)(?:,(?:opt|req|rep))?(?:,name=([^,"]+))?/.exec(g.tag);
  // Without a json tag, encoding/json uses the Go field name (runtime.Unknown's ContentType).
  const json = /json:"([^"]*)"/.exec(g.tag);
  return { number: Number(pb?.[1]), name: pb?.[2] ?? '', json: json ? json[1] : g.name, kind: g.kind };
}

function main(): void {
  const files = readKubectlDescriptors(KUBECTL);
  const byName = index(files);
  const keep = closure(byName, [...Object.values(PROTOBUF_KINDS), DELETE_OPTIONS, ...EXTRA_ROOTS]);
  const sizes: string[] = [];
  for (const file of files.values()) {
    if (!(file.messageType ?? []).some((m) => keep.has(`${file.package}.${m.name}`))) continue;
    const text = renderFile(file, keep, byName);
    const out = join(ROOT, 'proto/k8s', file.name);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    sizes.push(`${text.length}\t${file.name}`);
  }
  console.log(sizes.join('\n'));

  const structs = new Map(readGoStructs(KUBECTL).map((g) => [`${g.pkg}|${g.name}`, g]));
  const notOmitEmpty: Record<string, string[]> = {};
  const inline: Record<string, string[]> = {};
  const renamed: Record<string, Record<string, string>> = {};
  const problems: string[] = [];
  for (const name of [...keep].sort()) {
    // Own MarshalJSON (special-types.ts), or the envelope decode.ts reads itself.
    if (SPECIAL_TYPES[name] || name === EXTRA_ROOTS[0]) continue;
    const { msg } = byName.get(name)!;
    const go = goStructOf(name, structs);
    if (!go) { problems.push(`${name}: no Go struct with protobuf tags (a special type?)`); continue; }
    const byNumber = new Map(go.fields.map((g) => { const p = parseGoField(g); return [p.number, p]; }));
    for (const f of msg.field ?? []) {
      const p = byNumber.get(f.number);
      // `protobuf:"bytes,1,req"` (EphemeralContainer's inline EphemeralContainerCommon) has no name=.
      if (!p || (p.name !== f.name && p.name !== '')) { problems.push(`${name}.${f.name}: no Go field`); continue; }
      const [jsonName, ...flags] = p.json.split(',');
      if (jsonName === '' && flags.includes('inline')) { (inline[name] ??= []).push(f.name); continue; }
      if (jsonName === '-') { problems.push(`${name}.${f.name}: json:"-"`); continue; }
      if (jsonName !== f.name) (renamed[name] ??= {})[f.name] = jsonName;
      const pointer = p.kind === 'ptr';
      if (f.label !== 'LABEL_REPEATED' && f.type !== 'TYPE_BYTES' && pointer !== (f.options?.gogo_nullable !== false)) {
        problems.push(`${name}.${f.name}: Go kind ${p.kind} but gogoproto.nullable=${f.options?.gogo_nullable}`);
      }
      if (!flags.includes('omitempty')) (notOmitEmpty[name] ??= []).push(f.name);
    }
  }
  if (problems.length) {
    console.error(`Go structs that do not match their messages; the JSON table was not written:\n${problems.join('\n')}`);
    process.exit(1);
  }
  const list = (t: Record<string, string[]>) => Object.entries(t).map(([m, fs]) => `  '${m}': [${fs.map((f) => `'${f}'`).join(', ')}],`);
  const pairs = Object.entries(renamed).map(([m, r]) => `  '${m}': { ${Object.entries(r).map(([k, v]) => `${k}: '${v}'`).join(', ')} },`);
  writeFileSync(join(ROOT, 'src/apiserver/protobuf/go-json.generated.ts'), [
    '// Generated by test/apiserver/protobuf/tools/generate-protos.ts from the Go struct tags in',
    '// kubectl v1.32.4\'s reflection metadata. Do not edit.',
    '',
    '/**',
    ' * Per protobuf message, the fields whose Go json tag has no `omitempty`: encoding/json writes them',
    ' * even when zero (`"value": 0`, `"verbs": null`), so the decoder does too.',
    ' */',
    'export const NOT_OMITEMPTY: Readonly<Record<string, readonly string[]>> = {',
    ...list(notOmitEmpty),
    '};',
    '',
    '/** Embedded Go structs (`json:",inline"`): their fields are written into the parent object. */',
    'export const INLINE: Readonly<Record<string, readonly string[]>> = {',
    ...list(inline),
    '};',
    '',
    '/** Fields whose JSON name is not their protobuf name. */',
    'export const JSON_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {',
    ...pairs,
    '};',
    '',
  ].join('\n'));
}

main();
