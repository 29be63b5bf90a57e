// Reads the protobuf FileDescriptorProtos that a kubectl binary embeds.
//
// Every k8s.io/api and k8s.io/apimachinery `generated.pb.go` (gogo/protobuf) registers its
// descriptor as a gzipped FileDescriptorProto (`var fileDescriptor_xxx = []byte{...}`). kubectl
// links them all, so the binary we emulate for carries the exact message definitions it encodes
// with, including the gogoproto field options (`nullable`, `customname`, `casttype`) that the
// published generated.proto files have stripped. `nullable=false` is what tells a Go value field
// from a pointer, which decides JSON presence.
import { readFileSync } from 'node:fs';
import { inflateRawSync, constants } from 'node:zlib';
import protobuf from 'protobufjs';
import descriptorExt from 'protobufjs/ext/descriptor/index.js';

export type FieldDescriptor = {
  name: string;
  number: number;
  label: 'LABEL_OPTIONAL' | 'LABEL_REPEATED' | 'LABEL_REQUIRED';
  type: string;
  typeName?: string;
  options?: { gogo_nullable?: boolean; gogo_customname?: string; gogo_casttype?: string };
};
export type MessageDescriptor = {
  name: string;
  field?: FieldDescriptor[];
  nestedType?: MessageDescriptor[];
  options?: { mapEntry?: boolean };
};
export type FileDescriptor = { name: string; package: string; dependency?: string[]; messageType?: MessageDescriptor[] };

// github.com/gogo/protobuf/gogoproto/gogo.proto extension numbers on FieldOptions.
const GOGO_FIELD_OPTIONS: [string, number, string][] = [
  ['gogo_nullable', 65001, 'bool'],
  ['gogo_customname', 65004, 'string'],
  ['gogo_casttype', 65007, 'string'],
  ['gogo_castkey', 65008, 'string'],
  ['gogo_castvalue', 65009, 'string'],
];

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);

export function readKubectlDescriptors(binaryPath: string): Map<string, FileDescriptor> {
  const d = descriptorExt as unknown as { FieldOptions: protobuf.Type; FileDescriptorProto: protobuf.Type };
  for (const [name, id, type] of GOGO_FIELD_OPTIONS) {
    if (!d.FieldOptions.fields[name]) d.FieldOptions.add(new protobuf.Field(name, id, type, 'optional'));
  }
  const bin = readFileSync(binaryPath);
  const files = new Map<string, FileDescriptor>();
  for (let at = bin.indexOf(GZIP_HEADER); at >= 0; at = bin.indexOf(GZIP_HEADER, at + 1)) {
    let fd: FileDescriptor;
    try {
      // Go's gzip writer: 10-byte header, raw deflate; the trailing bytes are whatever follows.
      const raw = inflateRawSync(bin.subarray(at + 10, at + 10 + 4_000_000), { finishFlush: constants.Z_SYNC_FLUSH });
      const msg = d.FileDescriptorProto.decode(raw);
      fd = d.FileDescriptorProto.toObject(msg, { defaults: false, enums: String }) as FileDescriptor;
    } catch {
      continue; // not a descriptor
    }
    if (fd.name?.startsWith('k8s.io/')) files.set(fd.name, fd);
  }
  return files;
}
