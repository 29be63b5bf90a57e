// certificates.k8s.io/v1 CertificateSigningRequest validation (pkg/apis/certificates/validation,
// v1.32): the request is a PEM "CERTIFICATE REQUEST", the signer a qualified name, usages known,
// expirationSeconds at least 600; Approved and Denied exclusive and never removed; a certificate
// only once Approved, and never changed. Pure, no I/O.
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.ts'

type Json = Record<string, any>

export const KNOWN_USAGES = ['signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc']
const SIGNER = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?(\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)*$/

/** The PEM block of a CSR, or an error detail. */
function pemError (request: unknown): string | undefined {
  if (typeof request !== 'string' || request === '') return 'PEM block type must be CERTIFICATE REQUEST'
  let text: string
  try { text = Buffer.from(request, 'base64').toString('utf8') } catch { return 'PEM block type must be CERTIFICATE REQUEST' }
  const m = /-----BEGIN ([A-Z ]+)-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END \1-----/.exec(text)
  if (m === null || m[1] !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST'
  const der = Buffer.from(m[2].replace(/\s+/g, ''), 'base64')
  if (der.length < 2 || der[0] !== 0x30) return 'asn1: structure error: the request is not a DER CertificationRequest'
  return undefined
}

export function validateCsrSpec (spec: Json | undefined): FieldError[] {
  const errs: FieldError[] = []
  const s = spec ?? {}
  const bad = pemError(s.request)
  if (bad !== undefined) errs.push(invalid('spec.request', { goRepr: '[]byte{...}' }, bad))
  if (s.signerName === undefined || s.signerName === '') errs.push(required('spec.signerName'))
  else if (!SIGNER.test(s.signerName)) errs.push(invalid('spec.signerName', s.signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"))
  const usages = (s.usages ?? []) as string[]
  if (usages.length === 0) errs.push(required('spec.usages'))
  usages.forEach((u, i) => { if (!KNOWN_USAGES.includes(u)) errs.push(notSupported(`spec.usages[${i}]`, u, KNOWN_USAGES)) })
  if (typeof s.expirationSeconds === 'number' && s.expirationSeconds < 600) errs.push(invalid('spec.expirationSeconds', s.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'))
  return errs
}

export function validateCsrStatus (status: Json | undefined, old: Json | undefined): FieldError[] {
  const errs: FieldError[] = []
  const conditions = (status?.conditions ?? []) as Json[]
  let approved = false
  let denied = false
  conditions.forEach((c, i) => {
    if (c.type === 'Approved' || c.type === 'Denied') {
      if (c.status !== 'True') errs.push(notSupported(`status.conditions[${i}].status`, c.status, ['True']))
      if (c.type === 'Approved') approved = true
      else denied = true
      if (approved && denied) errs.push(invalid(`status.conditions[${i}].type`, c.type, 'Approved and Denied conditions are mutually exclusive'))
    }
  })
  for (const t of ['Approved', 'Denied']) {
    if (((old?.conditions ?? []) as Json[]).some(c => c.type === t) && !conditions.some(c => c.type === t)) errs.push(forbidden('status.conditions', `updates may not remove a condition of type "${t}"`))
  }
  const cert = status?.certificate
  if (cert !== undefined && cert !== '' && cert !== null) {
    if (!approved) errs.push(forbidden('status.certificate', 'certificate issuance requires the Approved condition'))
    if (old?.certificate !== undefined && old.certificate !== '' && old.certificate !== cert) errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'))
  }
  return errs
}
