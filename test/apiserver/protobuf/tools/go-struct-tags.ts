// Recovers Go struct fields (name, struct tag, kind of the field's type) from a Go binary's
// reflection metadata, so that the JSON shape of k8s.io/api types (`omitempty` or not, pointer or
// value) can be checked against the protobuf descriptors without the Go sources.
//
// Layout relied on (Go 1.2x, amd64): a struct type's fields are an array of
// abi.StructField{Name *byte, Typ *abi.Type, Offset uintptr} (24 bytes each). Name points at an
// abi.Name record: flags byte (bit 1 = has tag), varint len, name bytes, varint len, tag bytes.
// abi.Type keeps its Kind in byte 23; a pointer or slice type keeps its element *abi.Type at 48.
// Only fields whose tag carries `protobuf:"..."` are collected; consecutive fields form a "run",
// which is one struct's protobuf-tagged fields (a non-protobuf field, e.g. inline TypeMeta,
// splits a struct into two runs, which is harmless for matching).
import { readFileSync } from 'node:fs';

export type GoField = { name: string; tag: string; kind: string; elem?: string };
/** A Go struct's protobuf-tagged fields, with its package path and type name (`v1.Pod`). */
export type GoStruct = { pkg: string; name: string; fields: GoField[] };

const KINDS: Record<number, string> = {
  1: 'bool', 2: 'int', 5: 'int32', 6: 'int64', 8: 'uint', 10: 'uint32', 11: 'uint64', 13: 'float32',
  14: 'float64', 17: 'array', 20: 'interface', 21: 'map', 22: 'ptr', 23: 'slice', 24: 'string', 25: 'struct',
};

type Section = { name: string; type: number; addr: number; off: number; size: number };

function readSections(bin: Buffer): Section[] {
  const shoff = Number(bin.readBigUInt64LE(0x28));
  const shentsize = bin.readUInt16LE(0x3a);
  const shnum = bin.readUInt16LE(0x3c);
  const shstrndx = bin.readUInt16LE(0x3e);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const b = shoff + i * shentsize;
    raw.push({
      nameOff: bin.readUInt32LE(b), type: bin.readUInt32LE(b + 4),
      addr: Number(bin.readBigUInt64LE(b + 0x10)), off: Number(bin.readBigUInt64LE(b + 0x18)),
      size: Number(bin.readBigUInt64LE(b + 0x20)),
    });
  }
  const strOff = raw[shstrndx].off;
  return raw.map((s) => {
    const end = bin.indexOf(0, strOff + s.nameOff);
    return { ...s, name: bin.toString('latin1', strOff + s.nameOff, end) };
  });
}

/** Finds abi.Name records whose tag contains `protobuf:"`; returns them by virtual address. */
function findTaggedNames(bin: Buffer, offToAddr: (o: number) => number): Map<number, { name: string; tag: string }> {
  const text = bin.toString('latin1');
  const names = new Map<number, { name: string; tag: string }>();
  for (let idx = text.indexOf('protobuf:"'); idx >= 0; idx = text.indexOf('protobuf:"', idx + 1)) {
    for (let s = idx; s > idx - 400 && s > 2; s--) {
      for (const varintLen of [1, 2]) {
        let len: number;
        if (varintLen === 1) {
          if (bin[s - 1] >= 0x80) continue;
          len = bin[s - 1];
        } else {
          if (bin[s - 2] < 0x80 || bin[s - 1] >= 0x80) continue;
          len = (bin[s - 2] & 0x7f) | (bin[s - 1] << 7);
        }
        if (s + len < idx + 10) continue;
        const tag = text.slice(s, s + len);
        if (!/^[a-zA-Z_]+:"/.test(tag) || !tag.endsWith('"') || /[\x00-\x1f\x7f-\xff]/.test(tag)) continue;
        const p = s - varintLen;
        for (let n = 1; n < 100; n++) {
          if (bin[p - n - 1] !== n) continue;
          const flags = bin[p - n - 2];
          if (!(flags & 2) || flags > 15) continue;
          const name = text.slice(p - n, p);
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
          const addr = offToAddr(p - n - 2);
          if (addr > 0) names.set(addr, { name, tag });
        }
      }
    }
  }
  return names;
}

export function readGoStructs(binaryPath: string): GoStruct[] {
  const bin = readFileSync(binaryPath);
  const loaded = readSections(bin).filter((s) => s.addr && s.type !== 8 /* NOBITS */);
  const addrToOff = (a: number) => {
    for (const s of loaded) if (a >= s.addr && a < s.addr + s.size) return s.off + (a - s.addr);
    return -1;
  };
  const offToAddr = (o: number) => {
    for (const s of loaded) if (o >= s.off && o < s.off + s.size) return s.addr + (o - s.off);
    return -1;
  };
  const kindAt = (typeAddr: number) => {
    const o = addrToOff(typeAddr);
    return o < 0 ? -1 : bin[o + 23] & 0x1f;
  };
  const names = findTaggedNames(bin, offToAddr);
  const fields = new Map<number, GoField>();
  for (const s of loaded) {
    if (!/rodata|data/.test(s.name)) continue;
    for (let o = s.off; o + 24 <= s.off + s.size; o += 8) {
      const rec = names.get(Number(bin.readBigUInt64LE(o)));
      if (!rec) continue;
      const typ = Number(bin.readBigUInt64LE(o + 8));
      const k = kindAt(typ);
      let elem: string | undefined;
      if (k === 22 || k === 23) elem = KINDS[kindAt(Number(bin.readBigUInt64LE(addrToOff(typ) + 48)))];
      fields.set(s.addr + (o - s.off), { ...rec, kind: KINDS[k] ?? String(k), elem });
    }
  }
  const runs: { start: number; fields: GoField[] }[] = [];
  let prev = -100;
  for (const a of [...fields.keys()].sort((x, y) => x - y)) {
    if (a !== prev + 24) runs.push({ start: a, fields: [] });
    runs[runs.length - 1].fields.push(fields.get(a)!);
    prev = a;
  }
  return nameStructs(bin, loaded, addrToOff, runs);
}

/**
 * Finds the abi.StructType owning each run: StructType{Type (48 bytes), PkgPath Name, Fields slice},
 * so a slice header {ptr, len, cap} whose ptr is at or a few fields before the run sits at +56.
 * Type.Str (int32 at +40) is a nameOff from the start of .rodata (runtime.types).
 * The offsets are file offsets: .rodata is mapped at file offset == its own start (checked by use).
 */
function nameStructs(
  bin: Buffer, loaded: Section[], addrToOff: (a: number) => number, runs: { start: number; fields: GoField[] }[],
): GoStruct[] {
  const rodata = loaded.find((s) => s.name === '.rodata')!;
  const wanted = new Map<number, { run: number; skip: number }>();
  runs.forEach((r, i) => { for (let k = 0; k < 4; k++) wanted.set(r.start - 24 * k, { run: i, skip: k }); });
  const owners = new Map<number, { pkg: string; name: string }>();
  for (let o = rodata.off; o + 24 <= rodata.off + rodata.size; o += 8) {
    const hit = wanted.get(Number(bin.readBigUInt64LE(o)));
    if (!hit || owners.has(hit.run)) continue;
    const len = Number(bin.readBigUInt64LE(o + 8));
    if (len !== Number(bin.readBigUInt64LE(o + 16)) || len < hit.skip + runs[hit.run].fields.length) continue;
    const t = o - 56;
    if ((bin[t + 23] & 0x1f) !== 25) continue;
    // TFlagUncommon: an abi.UncommonType{PkgPath nameOff, ...} follows the 80-byte StructType.
    const pkg = bin[t + 20] & 1 ? readName(bin, addrToOff(rodata.addr + bin.readInt32LE(t + 80))) : '';
    let name = readName(bin, addrToOff(rodata.addr + bin.readInt32LE(t + 40)));
    if (bin[t + 20] & 2 /* TFlagExtraStar */) name = name.slice(1);
    owners.set(hit.run, { pkg, name });
  }
  return runs.map((r, i) => ({ pkg: owners.get(i)?.pkg ?? '', name: owners.get(i)?.name ?? '', fields: r.fields }));
}

function readName(bin: Buffer, off: number): string {
  if (off < 0) return '';
  let len = 0;
  let shift = 0;
  let i = off + 1;
  for (;;) {
    const b = bin[i++];
    len |= (b & 0x7f) << shift;
    shift += 7;
    if (b < 0x80) break;
  }
  return bin.toString('latin1', i, i + len);
}
