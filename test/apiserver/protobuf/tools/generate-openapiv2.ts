// Regenerates proto/gnostic/openapiv2.json, the message definitions of gnostic's OpenAPI v2
// document (openapiv2/OpenAPIv2.proto, package openapi.v2; Apache-2.0, Copyright 2020 Google LLC),
// from the kubectl binary we emulate for, which decodes `GET /openapi/v2` with them:
//
//   npx node test/apiserver/protobuf/tools/generate-openapiv2.ts [/path/to/kubectl]
//
// gnostic-models uses google.golang.org/protobuf, which embeds each file's FileDescriptorProto
// uncompressed; it is found by its name field and read field by field until the bytes stop being
// one. The result is protobufjs JSON (what src/apiserver/openapi-v2/proto.ts loads).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import protobuf from 'protobufjs'
import descriptorExt from 'protobufjs/ext/descriptor/index.js'
import { readFileSync } from 'node:fs'

const KUBECTL = process.argv[2] ?? '/usr/bin/kubectl'
const FILE = 'openapiv2/OpenAPIv2.proto'
const OUT = join(import.meta.dirname, '../../../../proto/gnostic/openapiv2.json')

const d = descriptorExt as unknown as { FileDescriptorProto: protobuf.Type, FileDescriptorSet: protobuf.Type }
const bin = readFileSync(KUBECTL)
const at = bin.indexOf(Buffer.concat([Buffer.from([0x0a, FILE.length]), Buffer.from(FILE)]))
if (at < 0) throw new Error(`${KUBECTL} embeds no ${FILE}`)
// FileDescriptorProto's fields are numbered 1..14 and are varints or length-delimited.
const reader = protobuf.Reader.create(bin.subarray(at, at + 1_000_000))
let end = 0
while (reader.pos < reader.len) {
  const tag = reader.uint32()
  if ((tag >>> 3) < 1 || (tag >>> 3) > 14 || ((tag & 7) !== 0 && (tag & 7) !== 2)) break
  reader.skipType(tag & 7)
  end = reader.pos
}
const file = d.FileDescriptorProto.decode(bin.subarray(at, at + end))
// google.protobuf.Any is imported (for Any.value): define it alongside.
const any = d.FileDescriptorProto.fromObject({
  name: 'google/protobuf/any.proto', package: 'google.protobuf', syntax: 'proto3',
  messageType: [{ name: 'Any', field: [{ name: 'type_url', number: 1, label: 1, type: 9, jsonName: 'typeUrl' }, { name: 'value', number: 2, label: 1, type: 12, jsonName: 'value' }] }],
})
const set = d.FileDescriptorSet.fromObject({ file: [any, file] })
const root = (protobuf.Root as unknown as { fromDescriptor: (s: unknown) => protobuf.Root }).fromDescriptor(set)
const json = root.toJSON()
writeFileSync(OUT, JSON.stringify(json) + '\n')
console.log(`wrote ${OUT}: ${Object.keys((json.nested as any).openapi.nested.v2.nested).length} messages of openapi.v2 (${end} descriptor bytes at offset ${at})`)
