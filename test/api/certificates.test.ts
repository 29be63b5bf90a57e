// CertificateSigningRequest validation, as pkg/apis/certificates/validation reads.
import assert from 'node:assert/strict'
import { fieldErrorString } from '../../src/api/field-errors.ts'
import { validateCsrSpec, validateCsrStatus } from '../../src/api/certificates.ts'

const PEM = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nMIIBADCBpgIBADAP\n-----END CERTIFICATE REQUEST-----\n').toString('base64')
const messages = (errs: ReturnType<typeof validateCsrSpec>): string[] => errs.map(fieldErrorString)
const approved = { type: 'Approved', status: 'True' }

describe('CertificateSigningRequest validation', () => {
  it('accepts a PEM request for a qualified signer with known usages', () => {
    assert.deepEqual(validateCsrSpec({ request: PEM, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], expirationSeconds: 600 }), [])
  })

  it('refuses another PEM block, a missing signer, unknown usages and a duration under 10 minutes', () => {
    const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n').toString('base64')
    assert.deepEqual(messages(validateCsrSpec({ request: key, usages: ['client auth', 'flying'], expirationSeconds: 599 })).map(m => m.replace(/: supported values: .*/, '')), [
      'spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST',
      'spec.signerName: Required value',
      'spec.usages[1]: Unsupported value: "flying"',
      'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)',
    ])
  })

  it('keeps Approved and Denied exclusive and permanent, and a certificate for approved requests only, unchanged', () => {
    assert.deepEqual(validateCsrStatus({ conditions: [approved] }, {}), [])
    assert.match(messages(validateCsrStatus({ conditions: [approved, { type: 'Denied', status: 'True' }] }, {}))[0], /status\.conditions\[1\]\.type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive/)
    assert.deepEqual(messages(validateCsrStatus({ conditions: [] }, { conditions: [approved] })), ['status.conditions: Forbidden: updates may not remove a condition of type "Approved"'])
    assert.deepEqual(messages(validateCsrStatus({ certificate: 'Y2VydA==' }, {})), ['status.certificate: Forbidden: certificate issuance requires the Approved condition'])
    assert.deepEqual(messages(validateCsrStatus({ conditions: [approved], certificate: 'bmV3' }, { conditions: [approved], certificate: 'b2xk' })), ['status.certificate: Forbidden: updates may not modify existing certificate content'])
  })
})
