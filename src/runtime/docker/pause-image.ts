// The sandbox image. CRI runtimes hold each pod's network namespace with a pause container
// (k3s: rancher/mirrored-pause:3.6). No registry may be reachable, so k3sim builds its own with
// `docker import`: one static ELF binary, /pause, a few dozen bytes that wait for a signal
// forever (pause(2) on amd64, ppoll(2) on arm64). As PID 1 without handlers it ignores SIGTERM;
// the runtime removes sandboxes with SIGKILL once their containers are stopped.
import type { DockerEngine } from './engine.ts'
import { tar } from './tar.ts'

export const PAUSE_IMAGE = 'k3sim/pause:1'

// loop: mov eax, 34 (pause); syscall; jmp loop
const AMD64 = Buffer.from([0xb8, 0x22, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xf7])
// loop: mov x0..x3, #0; mov x8, #73 (ppoll); svc #0; b loop
const ARM64 = Buffer.from([0xd2800000, 0xd2800001, 0xd2800002, 0xd2800003, 0xd2800928, 0xd4000001, 0x17fffffa]
  .flatMap(w => [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff]))

const MACHINES: Record<string, { machine: number, code: Buffer }> = { x64: { machine: 62, code: AMD64 }, arm64: { machine: 183, code: ARM64 } }

/** A static ELF64 executable: header, one PT_LOAD segment, the code. */
export function pauseBinary (arch: string = process.arch): Buffer {
  const m = MACHINES[arch]
  if (m === undefined) throw new Error(`the docker runtime builds its pause image for amd64 and arm64 only, not ${arch}`)
  const base = 0x400000
  const headers = 64 + 56
  const size = headers + m.code.length
  const b = Buffer.alloc(size)
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0)
  b.writeUInt16LE(2, 16) // ET_EXEC
  b.writeUInt16LE(m.machine, 18)
  b.writeUInt32LE(1, 20)
  b.writeBigUInt64LE(BigInt(base + headers), 24) // entry
  b.writeBigUInt64LE(64n, 32) // phoff
  b.writeUInt16LE(64, 52) // ehsize
  b.writeUInt16LE(56, 54) // phentsize
  b.writeUInt16LE(1, 56) // phnum
  b.writeUInt32LE(1, 64) // PT_LOAD
  b.writeUInt32LE(5, 68) // R+X
  b.writeBigUInt64LE(0n, 72)
  b.writeBigUInt64LE(BigInt(base), 80)
  b.writeBigUInt64LE(BigInt(base), 88)
  b.writeBigUInt64LE(BigInt(size), 96)
  b.writeBigUInt64LE(BigInt(size), 104)
  b.writeBigUInt64LE(0x1000n, 112)
  m.code.copy(b, headers)
  return b
}

/** Import the pause image unless the daemon has it. */
export async function ensurePauseImage (engine: DockerEngine): Promise<void> {
  if (await engine.inspectImage(PAUSE_IMAGE) !== undefined) return
  const [repo, tag] = PAUSE_IMAGE.split(':')
  await engine.importImage(tar([{ path: 'pause', content: pauseBinary(), mode: 0o755 }]), repo, tag,
    ['CMD ["/pause"]', 'LABEL io.k3sim.image=pause'])
}
