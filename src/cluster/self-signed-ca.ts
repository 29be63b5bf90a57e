// A self-signed CA (EC P-256 key, ECDSA with SHA-256) made with node:crypto alone, for a cluster
// that needs its CA's certificate but no HTTPS: a library cluster still publishes the
// kube-root-ca.crt ConfigMaps its pods mount. The full PKI (pki-generate.ts, @peculiar/x509)
// serves clusters with an API listener; loading that library alone takes ~150 ms, more than a
// whole cluster start, where this takes about a millisecond. Same name and extensions as its CA:
// CN=k3s-server-ca@<unix seconds>, basicConstraints CA (critical), keyUsage digitalSignature,
// keyCertSign, cRLSign (critical), subjectKeyIdentifier.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import type { KeyPairPem } from './certificates.ts'

const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000

function length (n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, ...parts)
const set = (...parts: Buffer[]): Buffer => tlv(0x31, ...parts)
const octets = (b: Buffer): Buffer => tlv(0x04, b)
const bits = (b: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.from([unused]), b)
const TRUE = tlv(0x01, Buffer.from([0xff]))

function oid (dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number)
  const out = [40 * a + b]
  for (const v of rest) {
    const groups = [v & 0x7f]
    for (let x = v >>> 7; x > 0; x >>>= 7) groups.unshift((x & 0x7f) | 0x80)
    out.push(...groups)
  }
  return tlv(0x06, Buffer.from(out))
}

/** A non-negative INTEGER from big-endian bytes, in DER's minimal form (no redundant leading zeros). */
function integer (b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0) i++
  const v = b.subarray(i)
  return tlv(0x02, (v[0] & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v)
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time (d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z' // YYYYMMDDHHMMSSZ
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso))
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'))

export function selfSignedCa (commonName: string, now = Date.now()): KeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(`${commonName}@${Math.floor(now / 1000)}`)))))
  // RFC 5280's method 1: SHA-1 of the subjectPublicKey bits (the 65-byte point ends the SPKI).
  const keyId = createHash('sha1').update(spki.subarray(spki.length - 65)).digest()
  const serial = randomBytes(8)
  // Positive and a full 8 bytes (a leading zero byte would not be minimal DER: OpenSSL refuses it).
  serial[0] = (serial[0] & 0x7f) || 0x01
  const extensions = tlv(0xa3, seq(
    seq(oid('2.5.29.15'), TRUE, octets(bits(Buffer.from([0x86]), 1))), // digitalSignature, keyCertSign, cRLSign
    seq(oid('2.5.29.19'), TRUE, octets(seq(TRUE))),
    seq(oid('2.5.29.14'), octets(octets(keyId))),
  ))
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ECDSA_SHA256,
    name,
    seq(time(new Date(now - 60_000)), time(new Date(now + TEN_YEARS))),
    name,
    spki,
    extensions,
  )
  const der = seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, privateKey)))
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  }
}
