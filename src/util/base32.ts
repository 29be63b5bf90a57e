// RFC 4648 base32 (A–Z, 2–7) without padding: Go's base32.StdEncoding.WithPadding(NoPadding),
// as kube-apiserver's identity Lease names and k3s's node-config-hash annotation use it.

export function base32 (bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) { out += alphabet[(value >>> (bits - 5)) & 31]; bits -= 5 }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}
