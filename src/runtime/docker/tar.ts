// A minimal ustar writer: what `docker import` (the pause image) and PUT /archive (configMap and
// secret files written where the container sees them) need — files and directories, with modes.

export interface TarEntry {
  /** Relative path, e.g. etc/config/key; directories end without '/'. */
  path: string
  /** Absent for a directory or a symlink. */
  content?: Buffer
  /** A symbolic link to this target. */
  link?: string
  mode: number
}

function octal (n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0'
}

function header (path: string, size: number, mode: number, type: '0' | '2' | '5', link = ''): Buffer {
  const h = Buffer.alloc(512)
  let name = path
  let prefix = ''
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', 154)
    if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`path too long for a tar entry: ${path}`)
    prefix = path.slice(0, cut)
    name = path.slice(cut + 1)
  }
  h.write(name, 0, 100)
  h.write(octal(mode & 0o7777, 8), 100)
  h.write(octal(0, 8), 108)
  h.write(octal(0, 8), 116)
  h.write(octal(size, 12), 124)
  h.write(octal(0, 12), 136)
  h.write('        ', 148)
  h.write(type, 156)
  h.write(link, 157, 100)
  h.write('ustar\0', 257)
  h.write('00', 263)
  h.write(prefix, 345, 155)
  let sum = 0
  for (const b of h) sum += b
  h.write(octal(sum, 7) + ' ', 148)
  return h
}

/** The archive; parent directories of every file are added (mode 0755) before it. */
export function tar (entries: TarEntry[]): Buffer {
  const parts: Buffer[] = []
  const dirs = new Set<string>()
  const addDir = (dir: string, mode = 0o755): void => {
    if (dir === '' || dir === '.' || dirs.has(dir)) return
    const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : ''
    addDir(parent)
    dirs.add(dir)
    parts.push(header(`${dir}/`, 0, mode, '5'))
  }
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, '').replace(/\/+$/, '')
    if (e.content === undefined && e.link === undefined) { addDir(path, e.mode); continue }
    addDir(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '')
    if (e.link !== undefined) { parts.push(header(path, 0, e.mode, '2', e.link)); continue }
    if (e.content === undefined) continue
    parts.push(header(path, e.content.length, e.mode, '0'), e.content)
    const pad = (512 - (e.content.length % 512)) % 512
    if (pad > 0) parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}
